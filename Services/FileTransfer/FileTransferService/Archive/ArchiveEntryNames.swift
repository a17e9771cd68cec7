/// Names for the files of one zip: each file's own name, with " (2)", " (3)"... before the extension when two
/// files share a name, so unzipping never overwrites one with another.
struct ArchiveEntryNames {
    private var used: Set<String> = []

    mutating func name(for fileName: FileName) -> String {
        let original = fileName.value
        var candidate = original
        var number = 2
        while used.contains(candidate.lowercased()) {
            if let ext = fileName.fileExtension {
                let stem = original.dropLast(ext.count + 1)
                candidate = "\(stem) (\(number)).\(original.suffix(ext.count))"
            } else {
                candidate = "\(original) (\(number))"
            }
            number += 1
        }
        used.insert(candidate.lowercased())
        return candidate
    }
}
