extension ContentType {
    /// How many leading bytes detection looks at: enough to find the first entries of an Office document's zip.
    public static let detectionWindow = 64 * 1024

    /// The type of a file, from its first bytes.
    ///
    /// The name's extension is only a hint, used where the bytes prove the family but not the member (a zip whose
    /// first entries do not say which Office application wrote it; an older Office file); a `.pdf` name on a PNG is
    /// a PNG, and a `.docx` name on anything that is not a zip is not a Word document.
    /// - Parameters:
    ///   - leadingBytes: the file's first bytes; anything beyond `detectionWindow` is ignored.
    ///   - isWholeFile: whether `leadingBytes` is the whole file; if not, text may end in the middle of a character.
    public static func detect(leadingBytes: [UInt8], fileName: FileName, isWholeFile: Bool) -> ContentType {
        let bytes = leadingBytes.count > detectionWindow ? Array(leadingBytes.prefix(detectionWindow)) : leadingBytes
        let complete = isWholeFile && leadingBytes.count <= detectionWindow
        let hint = fileName.fileExtension
        if bytes.starts(with: Signature.pdf) { return .pdf }
        if bytes.starts(with: Signature.png) { return .png }
        if bytes.starts(with: Signature.jpeg) { return .jpeg }
        if bytes.starts(with: Signature.gif87) || bytes.starts(with: Signature.gif89) { return .gif }
        if bytes.starts(with: Signature.zip) || bytes.starts(with: Signature.emptyZip) {
            return officeDocument(inZip: bytes) ?? zipHints[hint ?? ""] ?? .zip
        }
        if bytes.starts(with: Signature.compoundDocument) {
            return compoundDocumentHints[hint ?? ""] ?? .legacyOfficeDocument
        }
        if bytes.starts(with: Signature.rtf) { return .rtf }
        if isText(bytes, complete: complete) {
            return hint == "csv" ? .csv : .plainText
        }
        return .unknown
    }

    enum Signature {
        static let pdf = Array("%PDF-".utf8)
        static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF]
        static let gif87 = Array("GIF87a".utf8)
        static let gif89 = Array("GIF89a".utf8)
        static let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        static let emptyZip: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        /// OLE2 compound document: .doc, .xls, .ppt and Outlook .msg before 2007.
        static let compoundDocument: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        static let rtf = Array("{\\rtf".utf8)
    }

    /// What a zip is when its entries did not say, going by the name (only ever consulted for a real zip).
    static let zipHints: [String: ContentType] = [
        "docx": .wordDocument, "docm": .wordDocument, "dotx": .wordDocument,
        "xlsx": .excelSpreadsheet, "xlsm": .excelSpreadsheet, "xltx": .excelSpreadsheet,
        "pptx": .powerPointPresentation, "pptm": .powerPointPresentation, "ppsx": .powerPointPresentation,
        "odt": .openDocumentText, "ods": .openDocumentSpreadsheet, "odp": .openDocumentPresentation,
    ]

    /// Which application wrote an OLE2 compound document, going by the name.
    static let compoundDocumentHints: [String: ContentType] = [
        "doc": .legacyWordDocument, "dot": .legacyWordDocument,
        "xls": .legacyExcelSpreadsheet, "xlt": .legacyExcelSpreadsheet,
        "ppt": .legacyPowerPointPresentation, "pps": .legacyPowerPointPresentation, "pot": .legacyPowerPointPresentation,
        "msg": .outlookMessage,
    ]

    /// Office Open XML keeps each application's parts in its own folder (`word/`, `xl/`, `ppt/`); OpenDocument
    /// starts with an uncompressed `mimetype` entry. Entry names sit in each local file header uncompressed, so
    /// the headers within the window are enough, even when sizes are deferred to data descriptors.
    static func officeDocument(inZip bytes: [UInt8]) -> ContentType? {
        var offset = 0
        var isFirstEntry = true
        while let header = nextLocalHeader(in: bytes, from: offset) {
            offset = header + 4
            guard header + 30 <= bytes.count else { break }
            let nameLength = Int(littleEndian16(bytes, at: header + 26))
            let extraLength = Int(littleEndian16(bytes, at: header + 28))
            let nameStart = header + 30
            guard nameStart + nameLength <= bytes.count else { break }
            let name = String(decoding: bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self)
            // The entry is stored uncompressed; its size may be deferred to a data descriptor, so match by prefix.
            if isFirstEntry, name == "mimetype", littleEndian16(bytes, at: header + 8) == 0 {
                let content = bytes.dropFirst(nameStart + nameLength + extraLength)
                if let type = openDocumentTypes.first(where: { content.starts(with: $0.rawValue.utf8) }) { return type }
            }
            isFirstEntry = false
            if name.hasPrefix("word/") { return .wordDocument }
            if name.hasPrefix("xl/") { return .excelSpreadsheet }
            if name.hasPrefix("ppt/") { return .powerPointPresentation }
        }
        return nil
    }

    static let openDocumentTypes: [ContentType] = [.openDocumentText, .openDocumentSpreadsheet, .openDocumentPresentation]

    private static func nextLocalHeader(in bytes: [UInt8], from start: Int) -> Int? {
        guard start + 4 <= bytes.count else { return nil }
        var index = start
        while index + 4 <= bytes.count {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 0x03, bytes[index + 3] == 0x04 {
                return index
            }
            index += 1
        }
        return nil
    }

    private static func littleEndian16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    /// Valid UTF-8 (ASCII included) with no NUL bytes. A window cut from a longer file may end part-way through a
    /// character, so up to three trailing bytes may be left out of the check.
    static func isText(_ bytes: [UInt8], complete: Bool) -> Bool {
        guard !bytes.isEmpty, !bytes.contains(0) else { return false }
        let cuts = complete ? 0...0 : 0...min(3, bytes.count - 1)
        return cuts.contains { cut in String(validating: bytes.dropLast(cut), as: UTF8.self) != nil }
    }
}
