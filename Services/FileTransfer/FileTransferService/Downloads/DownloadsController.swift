import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Receiving files: the downloads page, one file, selected files or all new files as a zip. Only members of the
/// recipient organisation holding the role a file was addressed to, and its administrators, see it; for anyone
/// else it does not exist (404). Every download is recorded, audited and published.
struct DownloadsController: Sendable {
    let downloads: DownloadRepository
    let directory: OrganisationDirectory
    let responses: DownloadResponses
    let retention: RetentionPolicy
    /// Most files in one zip, so one request cannot tie up the service for hours.
    static let maximumArchiveFiles = 500

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("files") { request, context -> Page<ReceivedFile> in
            let principal = try context.require(.staff)
            let page = try PageRequest(from: request)
            let (items, total) = try await downloads.list(
                ReceiverAccess(principal), view: try request.queryEnum("view", as: ReceivedFilesView.self),
                search: request.queryString("search"), page: page)
            return Page(items: items, request: page, total: total)
        }
        router.get("files/:id/content") { _, context -> Response in
            let principal = try context.require(.staff)
            guard let file = try await downloads.find(try context.parameters.requireID(), ReceiverAccess(principal)) else {
                throw Problem.notFound()
            }
            guard !file.isExpired else { throw Problem.fileExpired }
            let record = try await recorder(for: [file], principal: principal, context: context)
            return try await responses.file(file, on: context.eventLoop, completed: record)
        }
        router.post("files/archive") { request, context -> Response in
            let principal = try context.require(.staff)
            let selection = try await request.decodeJSON(as: ArchiveSelection.self, context: context)
            return try await archive(selection.fileIds, principal: principal, context: context)
        }
        router.get("files/archive") { request, context -> Response in
            let principal = try context.require(.staff)
            if let raw = request.queryString("ids") {
                let ids = try raw.split(separator: ",").map { part in
                    guard let id = UUID(uuidString: part.trimmingCharacters(in: .whitespaces)) else {
                        throw Problem.badRequest("ids must be file ids separated by commas.", field: "ids")
                    }
                    return id
                }
                return try await archive(ids, principal: principal, context: context)
            }
            // No selection: "Download All", every new file.
            let files = try await downloads.newFiles(ReceiverAccess(principal))
            guard !files.isEmpty else { throw Problem.notFound("There are no new files to download.") }
            return try await zip(files, principal: principal, context: context)
        }
    }

    private func archive(_ ids: [UUID], principal: Principal, context: ServiceRequestContext) async throws -> Response {
        guard !ids.isEmpty else {
            throw Problem.validation([.init(field: "fileIds", message: "Select at least one file.")])
        }
        guard ids.count <= Self.maximumArchiveFiles else {
            throw Problem.validation([.init(field: "fileIds", message: "Select at most \(Self.maximumArchiveFiles) files at once.")])
        }
        guard let files = try await downloads.find(ids, ReceiverAccess(principal)) else { throw Problem.notFound() }
        if files.contains(where: \.isExpired) { throw Problem.fileExpired }
        return try await zip(files, principal: principal, context: context)
    }

    private func zip(_ files: [DownloadableFile], principal: Principal, context: ServiceRequestContext) async throws -> Response {
        let record = try await recorder(for: files, principal: principal, context: context)
        return try await responses.archive(files, named: "learnbridge-files.zip", completed: record)
    }

    /// Records the downloads once the bytes are all sent (a download cut short is not a download).
    private func recorder(for files: [DownloadableFile], principal: Principal,
                          context: ServiceRequestContext) async throws -> @Sendable () async throws -> Void {
        let organisationName = try await directory.find(principal.organisationId)?.name
        let downloads = downloads, retention = retention, change = context.change
        return {
            try await downloads.recordDownloads(of: files, by: principal, organisationName: organisationName,
                                                retention: retention, by: change)
        }
    }
}

