/// What kind of document a stored file is, detected from its first bytes (see `ContentType.detect`), never taken
/// from the sender's `Content-Type` header: a browser or MIS can send anything there.
///
/// The raw value is the media type, which is what the database keeps and the download's `Content-Type` is built
/// from. Downloads are always served as attachments with `X-Content-Type-Options: nosniff`, so even a file that
/// looks like text is never rendered as a page.
public enum ContentType: String, Sendable, Codable, CaseIterable {
    case pdf = "application/pdf"
    case png = "image/png"
    case jpeg = "image/jpeg"
    case gif = "image/gif"
    case rtf = "application/rtf"
    case plainText = "text/plain"
    case csv = "text/csv"
    case zip = "application/zip"
    case wordDocument = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    case excelSpreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    case powerPointPresentation = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    case openDocumentText = "application/vnd.oasis.opendocument.text"
    case openDocumentSpreadsheet = "application/vnd.oasis.opendocument.spreadsheet"
    case openDocumentPresentation = "application/vnd.oasis.opendocument.presentation"
    case legacyWordDocument = "application/msword"
    case legacyExcelSpreadsheet = "application/vnd.ms-excel"
    case legacyPowerPointPresentation = "application/vnd.ms-powerpoint"
    case outlookMessage = "application/vnd.ms-outlook"
    /// An older Office file (OLE2 compound document) whose application the name does not tell.
    case legacyOfficeDocument = "application/x-ole-storage"
    case unknown = "application/octet-stream"

    /// The "File Type" column of the downloads page, in the words people use.
    public var displayName: String {
        switch self {
        case .pdf: "PDF document"
        case .png: "PNG image"
        case .jpeg: "JPEG image"
        case .gif: "GIF image"
        case .rtf: "Rich text document"
        case .plainText: "Text file"
        case .csv: "CSV spreadsheet"
        case .zip: "Zip archive"
        case .wordDocument, .legacyWordDocument: "Word document"
        case .excelSpreadsheet, .legacyExcelSpreadsheet: "Excel spreadsheet"
        case .powerPointPresentation, .legacyPowerPointPresentation: "PowerPoint presentation"
        case .openDocumentText: "OpenDocument text"
        case .openDocumentSpreadsheet: "OpenDocument spreadsheet"
        case .openDocumentPresentation: "OpenDocument presentation"
        case .outlookMessage: "Outlook email"
        case .legacyOfficeDocument: "Office document"
        case .unknown: "File"
        }
    }

    /// The value for a download's `Content-Type` header: text is only ever detected when it is valid UTF-8.
    public var headerValue: String {
        switch self {
        case .plainText, .csv: rawValue + "; charset=utf-8"
        default: rawValue
        }
    }
}
