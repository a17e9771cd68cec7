import Foundation
import Hummingbird
import NIOCore
import Spreadsheets

/// The template schools fill in: the headings with one example learner.
enum ImportTemplate {
    static let fields = ImportField.allCases

    /// The example learner; the UPN and ULN pass their check-character tests.
    static let example: [ImportField: String] = [
        .firstName: "Aoife", .middleNames: "Grace", .lastName: "Ní Bhriain", .dateOfBirth: "14/03/2011", .yearGroup: "10",
        .tutorGroup: "10R", .gender: "F", .ethnicityCode: "WIRI", .upn: "H801200001001", .uln: "9123456786",
        .misNumber: "001234",
    ]

    static func csv() -> Data {
        var writer = CSVWriter()
        writer.append(row: fields.map(\.heading))
        writer.append(row: fields.map { example[$0] ?? "" })
        return writer.output
    }

    static func xlsx() throws -> Data {
        var writer = try XLSXWriter(sheetName: "Learners")
        try writer.append(row: fields.map { .header($0.heading) })
        try writer.append(row: fields.map { field -> XLSXWriter.Cell in
            switch field {
            case .dateOfBirth: .date(XLSXDate(year: 2011, month: 3, day: 14))
            case .yearGroup: .number(10)
            default: .text(example[field] ?? "")
            }
        })
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("learnbridge-template-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try writer.write(to: url)
        return try Data(contentsOf: url)
    }
}

/// The list of temporary passwords, as CSV or XLSX, written to a file as rows arrive.
struct PasswordList {
    static let headings = ["First names", "Surnames", "Date of birth", "Year group", "Tutor group", "Username",
                           "Temporary password"]

    let format: ImportFormat
    let url: URL
    private var csv: CSVWriter?
    private var handle: FileHandle?
    private var xlsx: XLSXWriter?

    init(format: ImportFormat, url: URL) throws {
        self.format = format
        self.url = url
        switch format {
        case .csv:
            guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
            handle = try FileHandle(forWritingTo: url)
            var writer = CSVWriter()
            writer.append(row: Self.headings)
            csv = writer
        case .xlsx:
            var writer = try XLSXWriter(sheetName: "Temporary passwords")
            try writer.append(row: Self.headings.map { .header($0) })
            xlsx = writer
        }
    }

    mutating func append(_ entry: (firstName: String, lastName: String, dateOfBirth: String, yearGroup: Int?,
                                   tutorGroup: String?, username: String, password: String)) throws {
        let parts = entry.dateOfBirth.split(separator: "-").compactMap { Int($0) }
        if var writer = csv {
            // dd/mm/yyyy, the way the school wrote it.
            let date = parts.count == 3 ? String(format: "%02d/%02d/%04d", parts[2], parts[1], parts[0]) : entry.dateOfBirth
            writer.append(row: [entry.firstName, entry.lastName, date, entry.yearGroup.map(String.init) ?? "",
                                entry.tutorGroup ?? "", entry.username, entry.password])
            if writer.output.count > 64 * 1024, let handle { try writer.flush(to: handle) }
            csv = writer
        } else if var writer = xlsx {
            let date: XLSXWriter.Cell = parts.count == 3
                ? .date(XLSXDate(year: parts[0], month: parts[1], day: parts[2])) : .text(entry.dateOfBirth)
            try writer.append(row: [.text(entry.firstName), .text(entry.lastName), date,
                                    entry.yearGroup.map { .number(Double($0)) } ?? .empty, .text(entry.tutorGroup ?? ""),
                                    .text(entry.username), .text(entry.password)])
            xlsx = writer
        }
    }

    mutating func finish() throws {
        if var writer = csv, let handle {
            try writer.flush(to: handle)
            try handle.close()
            csv = writer
            self.handle = nil
        } else if let writer = xlsx {
            try writer.write(to: url)
        }
    }
}

/// File downloads.
enum Download {
    static let csvType = "text/csv; charset=utf-8"
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    static func headers(fileName: String, contentType: String) -> HTTPFields {
        [.contentType: contentType, .contentDisposition: "attachment; filename=\"\(fileName)\"", .cacheControl: "no-store"]
    }

    static func data(_ data: Data, fileName: String, contentType: String) -> Response {
        Response(status: .ok, headers: headers(fileName: fileName, contentType: contentType),
                 body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    /// Streams a temporary file in chunks and deletes it: it is unlinked as soon as it is open, so
    /// it is gone even if the client goes away half-way.
    static func temporaryFile(_ url: URL, fileName: String, contentType: String) throws -> Response {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        try? FileManager.default.removeItem(at: url)
        let file = SendableHandle(handle)
        return Response(status: .ok, headers: headers(fileName: fileName, contentType: contentType),
                        body: .init(contentLength: size) { writer in
                            defer { try? file.handle.close() }
                            while let chunk = try file.handle.read(upToCount: 64 * 1024), !chunk.isEmpty {
                                try await writer.write(ByteBuffer(data: chunk))
                            }
                            try await writer.finish(nil)
                        })
    }

    /// A file handle read by one response body at a time.
    private final class SendableHandle: @unchecked Sendable {
        let handle: FileHandle
        init(_ handle: FileHandle) { self.handle = handle }
    }
}
