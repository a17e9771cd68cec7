import Foundation
import ZIPFoundation

/// The ZIP container of an .xlsx, with its parts read as streams of XML events.
struct WorkbookPackage {
    /// Carries an error thrown by the caller's row handler through ZIPFoundation untouched.
    struct CallerError: Error {
        let underlying: any Error
    }

    /// 64 KiB of decompressed XML at a time: a few hundred rows, whatever the sheet's size.
    private static let chunkSize = 64 * 1024
    /// The first bytes of an OLE2 compound document, the container of Excel 97–2003 .xls files.
    private static let legacyExcelSignature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    private let archive: Archive

    init(url: URL) throws {
        guard url.isFileURL, FileManager.default.fileExists(atPath: url.path) else {
            throw XLSXReaderError.fileNotFound(path: url.path)
        }
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw Self.startsWithLegacyExcelSignature(url) ? XLSXReaderError.legacyExcelFormat : XLSXReaderError.notAZipFile
        }
    }

    func contains(_ path: String) -> Bool {
        entry(at: path) != nil
    }

    /// Feeds a part through the XML tokenizer chunk by chunk; only one chunk and one token are in memory at once.
    func stream(_ path: String, handler: (XMLEvent) throws -> Void) throws {
        guard let entry = entry(at: path) else { throw XLSXReaderError.missingPart(path: path) }
        var tokenizer = XMLTokenizer()
        do {
            _ = try archive.extract(entry, bufferSize: Self.chunkSize) { chunk in
                try tokenizer.consume(chunk, handler: handler)
            }
            try tokenizer.finish(handler: handler)
        } catch let error as CallerError {
            throw error
        } catch let error as XLSXReaderError {
            throw error
        } catch let error as XMLTokenizer.Failure {
            throw XLSXReaderError.malformedXML(path: path, detail: error.message)
        } catch {
            throw XLSXReaderError.damagedPart(path: path, detail: String(describing: error))
        }
    }

    /// Part names are case-insensitive in OPC, and some generators do not match the case in their relationships.
    private func entry(at path: String) -> Entry? {
        if let exact = archive[path] { return exact }
        let lowercased = path.lowercased()
        return archive.first { $0.path.lowercased() == lowercased }
    }

    private static func startsWithLegacyExcelSignature(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: legacyExcelSignature.count)) ?? Data()
        return Array(prefix) == legacyExcelSignature
    }
}
