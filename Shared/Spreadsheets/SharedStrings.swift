/// The workbook's table of distinct texts (`xl/sharedStrings.xml`); cells with `t="s"` hold an index into it.
/// Kept in memory: it holds each distinct text once, so it is far smaller than the sheet.
struct SharedStrings {
    /// Generous (a 50,000-learner file needs a few MiB) but bounded, so a crafted file cannot exhaust memory.
    static let maximumTotalBytes = 256 << 20

    let strings: [String]

    init(package: WorkbookPackage, path: String?) throws {
        guard let path, package.contains(path) else {
            strings = []
            return
        }
        var strings: [String] = []
        var current = ""
        var inText = false
        // Phonetic guides (<rPh>, for Japanese readings) also contain <t> but are not part of the text.
        var inPhoneticRun = false
        var totalBytes = 0
        try package.stream(path) { event in
            switch event {
            case let .start(tag):
                switch tag.localName {
                case "si": current = ""
                case "rPh": inPhoneticRun = true
                case "t": inText = !inPhoneticRun
                default: break
                }
            case let .end(localName):
                switch localName {
                case "si": strings.append(SpreadsheetMLEscapes.unescape(current))
                case "rPh": inPhoneticRun = false
                case "t": inText = false
                default: break
                }
            case let .text(text):
                guard inText else { return }
                totalBytes += text.utf8.count
                guard totalBytes <= Self.maximumTotalBytes else {
                    throw XLSXReaderError.partTooLarge(path: path, limitMiB: Self.maximumTotalBytes >> 20)
                }
                current += text
            }
        }
        self.strings = strings
    }
}
