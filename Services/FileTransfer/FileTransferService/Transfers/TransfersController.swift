import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Sending files: start a transfer (optionally with defaults for every file), upload each file as the raw
/// request body, remove any before confirming, confirm to send. A draft is its sender's alone: anyone else gets
/// 404. Who may send: the designated staff (`RecipientRoles.maySend`), others 403.
struct TransfersController: Sendable {
    let transfers: TransferRepository
    let directory: OrganisationDirectory
    let store: EncryptedFileStore
    let retention: RetentionPolicy

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("transfers") { request, context -> Response in
            let principal = try Self.requireSender(context)
            let defaults = try await Self.decodeDefaults(request, context: context)
            let organisationName = try await directory.find(principal.organisationId)?.name
            let created = try await transfers.create(sender: principal, senderOrganisationName: organisationName,
                                                     defaults: defaults, by: context.change)
            return try created.response(from: request, context: context).withStatus(.created)
        }
        router.get("transfers/sent") { request, context -> Page<SentFile> in
            let principal = try Self.requireSender(context)
            let page = try PageRequest(from: request)
            let (items, total) = try await transfers.sent(by: principal.organisationId, search: request.queryString("search"),
                                                          page: page)
            return Page(items: items, request: page, total: total)
        }
        router.get("transfers/:id") { _, context -> TransferSummary in
            let principal = try context.require(.staff)
            guard let summary = try await transfers.summary(try context.parameters.requireID(), senderUserId: principal.userId) else {
                throw Problem.notFound()
            }
            return summary
        }
        router.post("transfers/:id/files") { request, context -> Response in
            try await upload(request, context: context)
        }
        router.delete("transfers/:id/files/:fileId") { _, context -> Response in
            let principal = try context.require(.staff)
            let transferId = try context.parameters.requireID(), fileId = try context.parameters.requireID("fileId")
            switch try await transfers.removeFile(fileId, from: transferId, sender: principal, by: context.change) {
            case .done(let key):
                // After the commit: if this fails, the bytes are unreadable without the row (its key is gone) and
                // housekeeping is not needed for safety.
                if let key = try? StorageKey(key) { try? await store.storage.delete(key) }
                return Response(status: .noContent)
            case .notFound, .empty: throw Problem.notFound()
            case .alreadyConfirmed: throw Self.confirmed
            }
        }
        router.post("transfers/:id/confirm") { request, context -> TransferSummary in
            let principal = try context.require(.staff)
            switch try await transfers.confirm(try context.parameters.requireID(), sender: principal, retention: retention,
                                               by: context.change) {
            case .done(let summary): return summary
            case .notFound: throw Problem.notFound()
            case .alreadyConfirmed: throw Self.confirmed
            case .empty:
                throw Problem.validation([.init(field: "files", message: "Add at least one file before confirming the transfer.")])
            }
        }
    }

    /// Streams one file into storage and records it on the draft. Everything that can be refused is refused
    /// before a byte is stored; a failure after storing removes the bytes again.
    private func upload(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let principal = try context.require(.staff)
        guard let draft = try await transfers.draft(try context.parameters.requireID(), senderUserId: principal.userId) else {
            throw Problem.notFound()
        }
        guard !draft.isConfirmed else { throw Self.confirmed }
        guard let originalName = request.queryString("name") else {
            throw Problem.validation([.init(field: "name", message: "Give the file's name (the name parameter).")])
        }
        let recipient = try await RecipientChoice.resolve(
            organisationId: try request.queryUUID("recipientOrganisationId"),
            role: try request.queryEnum("recipientRole", as: Role.self),
            description: request.uri.queryParameters.get("description"),
            defaults: draft.defaults, sender: principal, directory: directory)
        let declaredSize = request.headers[.contentLength].flatMap { Int64($0) }
        let fileId = UUID()
        let stored = try await store.store(request.body, named: FileName(sanitising: originalName), under: .file(fileId),
                                           declaredSize: declaredSize)
        let outcome: TransferRepository.Outcome<SentFile>
        do {
            outcome = try await transfers.addFile(fileId, to: draft.id, stored: stored, recipient: recipient, sender: principal,
                                                  by: context.change)
        } catch {
            try? await store.delete(stored)
            throw error
        }
        switch outcome {
        case .done(let file): return try file.response(from: request, context: context).withStatus(.created)
        case .notFound, .empty:
            try? await store.delete(stored)
            throw Problem.notFound()
        case .alreadyConfirmed:
            try? await store.delete(stored)
            throw Self.confirmed
        }
    }

    static let confirmed = Problem.conflict("This transfer has been confirmed and sent; start a new transfer to send more files.")

    static func requireSender(_ context: ServiceRequestContext) throws -> Principal {
        let principal = try context.require(.staff)
        guard RecipientRoles.maySend(principal.roles, in: principal.organisationKind) else {
            throw Problem.forbidden("Only your organisation's designated staff (its AP coordinator, safeguarding lead or administrators) send and track files.")
        }
        return principal
    }

    /// The optional body of `POST /transfers`; an empty body means no defaults.
    static func decodeDefaults(_ request: Request, context: ServiceRequestContext) async throws -> TransferDefaults {
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard body.readableBytes > 0 else { return TransferDefaults() }
        return try JSONDecoder().decode(TransferDefaults.self, from: Data(buffer: body))
    }
}
