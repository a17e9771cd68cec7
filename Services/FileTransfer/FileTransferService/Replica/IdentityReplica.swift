import Contracts
import Messaging
import Replicas

/// Keeps filetransfer's copy of identity's organisations (the shared `OrganisationReplica`): the recipient
/// organisation must exist, its kind decides the route, and listings show names.
enum IdentityReplica {
    static func register(on handlers: inout EventHandlers) {
        handlers.on(IdentityEvents.OrganisationRecorded.self) { envelope, context in
            try await OrganisationReplica.apply(envelope.payload, on: context.connection, logger: context.logger)
        }
    }
}
