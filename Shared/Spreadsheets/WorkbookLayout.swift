/// Where the parts of a workbook live, read from `xl/workbook.xml` and its relationships.
struct WorkbookLayout {
    let firstSheetName: String
    let firstSheetPath: String
    let sharedStringsPath: String?
    let uses1904DateSystem: Bool

    private static let workbookPath = "xl/workbook.xml"
    private static let relationshipsPath = "xl/_rels/workbook.xml.rels"

    init(package: WorkbookPackage) throws {
        guard package.contains(Self.workbookPath) else {
            throw XLSXReaderError.notAWorkbook(reason: "it has no \(Self.workbookPath)")
        }
        var sheet: (name: String, relationshipID: String)?
        var uses1904 = false
        try package.stream(Self.workbookPath) { event in
            guard case let .start(tag) = event else { return }
            switch tag.localName {
            case "workbookPr":
                uses1904 = ["1", "true"].contains(tag.attribute("date1904") ?? "")
            case "sheet" where sheet == nil:
                // The first <sheet> in <sheets> is the leftmost tab, which is what people mean by "the sheet".
                sheet = (tag.attribute("name") ?? "Sheet1", tag.attribute("id") ?? "")
            default:
                break
            }
        }
        guard let sheet else { throw XLSXReaderError.noWorksheets }

        var targets: [String: String] = [:]
        var sharedStringsTarget: String?
        try package.stream(Self.relationshipsPath) { event in
            guard case let .start(tag) = event, tag.localName == "Relationship",
                  let target = tag.attribute("Target") else { return }
            if let id = tag.attribute("Id") { targets[id] = target }
            if tag.attribute("Type")?.hasSuffix("/sharedStrings") == true { sharedStringsTarget = target }
        }
        guard let sheetTarget = targets[sheet.relationshipID] else {
            throw XLSXReaderError.notAWorkbook(reason: "the sheet \"\(sheet.name)\" has no relationship to its data")
        }
        firstSheetName = sheet.name
        firstSheetPath = Self.resolve(sheetTarget)
        sharedStringsPath = sharedStringsTarget.map(Self.resolve)
        uses1904DateSystem = uses1904
    }

    /// Relationship targets are relative to `xl/` unless they start with `/` (relative to the package root).
    static func resolve(_ target: String) -> String {
        let isAbsolute = target.hasPrefix("/")
        var segments: [Substring] = isAbsolute ? [] : ["xl"]
        for segment in target.split(separator: "/") {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/")
    }
}
