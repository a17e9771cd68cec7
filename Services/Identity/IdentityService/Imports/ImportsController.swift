import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Bulk import of new learners from a spreadsheet (the Plan-it "import spreadsheet" at year
/// end): upload a CSV or XLSX file, see every row checked (errors by row and field, duplicates
/// with the learner they repeat), then confirm to write all valid rows at once, optionally with
/// temporary passwords handed out as a list that can be downloaded once.
///
/// Who may call: administrators of a school or provider (their own organisation) and the
/// coordinator's administrators (any organisation, by `organisationId`). Everyone else gets a
/// 403; another organisation's import is a 404.
struct ImportsController: Sendable {
    let imports: PostgresImportRepository
    let organisations: any OrganisationRepository
    let maximumImportBytes: Int

    static let administrators = Access.roles(.administrator)

    struct Confirmation: Decodable {
        var issueTemporaryPasswords: Bool?

        init(issueTemporaryPasswords: Bool? = nil) { self.issueTemporaryPasswords = issueTemporaryPasswords }

        init(from decoder: any Decoder) throws {
            try UnknownFields.refuse(in: decoder, allowed: ["issueTemporaryPasswords"])
            let container = try decoder.container(keyedBy: UnknownFields.AnyKey.self)
            issueTemporaryPasswords = try container.decodeIfPresent(Bool.self, forKey: .init(stringValue: "issueTemporaryPasswords"))
        }
    }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        // Administrators: the template to fill in (headings and one example learner).
        router.get("imports/template.csv") { _, context -> Response in
            _ = try context.require(Self.administrators)
            return Download.data(ImportTemplate.csv(), fileName: "learner-import-template.csv", contentType: Download.csvType)
        }
        router.get("imports/template.xlsx") { _, context -> Response in
            _ = try context.require(Self.administrators)
            return Download.data(try ImportTemplate.xlsx(), fileName: "learner-import-template.xlsx",
                                 contentType: Download.xlsxType)
        }
        // Administrators (own organisation; the coordinator's: any, by organisationId): upload a file
        // and get the preview (201). The body is the raw file, CSV or XLSX, read as it arrives. Nothing
        // is written to learner records until the import is confirmed.
        router.post("imports") { request, context -> Response in
            let principal = try context.require(Self.administrators)
            let access = ImportAccess(principal: principal)
            let organisationId = try request.queryUUID("organisationId") ?? principal.organisationId
            guard access.allows(organisationId: organisationId) else {
                throw Problem.forbidden("Administrators import learners into their own organisation.")
            }
            guard try await organisations.find(organisationId) != nil else {
                throw Problem.validation([.init(field: "organisationId", message: "There is no such organisation.")])
            }
            let fileName = try Self.fileName(request.queryString("fileName"))
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumImportBytes {
                throw ImportProblems.tooLarge(limit: maximumImportBytes)
            }
            let upload = ImportUpload(request.body, limit: maximumImportBytes)
            let format = try await upload.detectFormat()
            let id = try await imports.preview(upload, format: format, fileName: fileName, organisationId: organisationId,
                                               access: access, by: context.change)
            guard let summary = try await summary(id, access: access) else { throw Problem.notFound() }
            var response = try summary.response(from: request, context: context).withStatus(.created)
            response.headers[.location] = "/imports/\(id.uuidString.lowercased())"
            return response
        }
        // Administrators: imports of their organisation, newest first (the coordinator's: all, or by organisationId).
        router.get("imports") { request, context -> Page<ImportSummary> in
            let principal = try context.require(Self.administrators)
            let access = ImportAccess(principal: principal)
            let requested = try request.queryUUID("organisationId")
            if let requested, !access.allows(organisationId: requested) { throw Problem.notFound() }
            let page = try PageRequest(from: request)
            let (items, total) = try await imports.list(organisationId: requested, access: access, page: page)
            return Page(items: items, request: page, total: total)
        }
        // Administrators who may see the import: the summary with the first page of rows.
        router.get("imports/:id") { _, context -> ImportSummary in
            let access = ImportAccess(principal: try context.require(Self.administrators))
            guard let summary = try await summary(try context.parameters.requireID(), access: access) else {
                throw Problem.notFound()
            }
            return summary
        }
        // Administrators who may see the import: its rows with their errors and duplicates, by status.
        router.get("imports/:id/rows") { request, context -> Page<ImportRowView> in
            let access = ImportAccess(principal: try context.require(Self.administrators))
            let status = try request.queryEnum("status", as: ImportRowStatus.self)
            let page = try PageRequest(from: request)
            guard let (items, total) = try await imports.rows(try context.parameters.requireID(), status: status, access: access,
                                                              page: page) else { throw Problem.notFound() }
            return Page(items: items, request: page, total: total)
        }
        // Administrators who may see the import: write every valid row, in one transaction (409 unless
        // previewed). With issueTemporaryPasswords, each imported learner gets a login.
        router.post("imports/:id/confirm") { request, context -> ImportConfirmation in
            let access = ImportAccess(principal: try context.require(Self.administrators))
            let id = try context.parameters.requireID()
            let body = try await Self.decodeOptionalJSON(request, as: Confirmation.self, context: context) ?? Confirmation()
            guard let confirmation = try await imports.confirm(id, issueTemporaryPasswords: body.issueTemporaryPasswords ?? false,
                                                               access: access, by: context.change) else {
                throw Problem.notFound()
            }
            return confirmation
        }
        // Administrators who may see the import: cancel it before confirmation (staged rows deleted).
        router.delete("imports/:id") { _, context -> Response in
            let access = ImportAccess(principal: try context.require(Self.administrators))
            guard try await imports.cancel(try context.parameters.requireID(), access: access, by: context.change) else {
                throw Problem.notFound()
            }
            return Response(status: .noContent)
        }
        // Administrators who may see the import: the temporary passwords, ONCE; the download erases them
        // (410 afterwards: an administrator can reset a learner's password instead).
        router.get("imports/:id/passwords.csv") { _, context -> Response in
            try await passwords(context, format: .csv)
        }
        router.get("imports/:id/passwords.xlsx") { _, context -> Response in
            try await passwords(context, format: .xlsx)
        }
    }

    private func summary(_ id: UUID, access: ImportAccess) async throws -> ImportSummary? {
        guard var summary = try await imports.find(id, access: access) else { return nil }
        let page = PageRequest()
        if let (items, total) = try await imports.rows(id, status: nil, access: access, page: page) {
            summary.rows = Page(items: items, request: page, total: total)
        }
        return summary
    }

    private func passwords(_ context: ServiceRequestContext, format: ImportFormat) async throws -> Response {
        let access = ImportAccess(principal: try context.require(Self.administrators))
        let id = try context.parameters.requireID()
        guard let url = try await imports.takePasswords(id, format: format, access: access, by: context.change) else {
            throw Problem.notFound()
        }
        return try Download.temporaryFile(url, fileName: "temporary-passwords-\(id.uuidString.prefix(8).lowercased()).\(format.rawValue)",
                                          contentType: format == .csv ? Download.csvType : Download.xlsxType)
    }

    /// The name the file had on the uploader's computer, for the list of imports.
    static func fileName(_ raw: String?) throws -> String? {
        guard let name = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { return nil }
        guard name.count <= 255, !Text.hasControlCharacters(name) else {
            throw Problem.badRequest("fileName must be at most 255 characters, without control characters.", field: "fileName")
        }
        return name
    }

    /// A JSON body that may be left out altogether.
    static func decodeOptionalJSON<T: Decodable>(_ request: Request, as type: T.Type,
                                                 context: ServiceRequestContext) async throws -> T? {
        let buffer = try await request.body.collect(upTo: 16 * 1024)
        guard buffer.readableBytesView.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            return nil
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw Problem.from(error)
        }
    }
}
