import Foundation

extension IdentityEvents {
    /// A learner group was created, renamed, deleted, or its learners or learner managers
    /// changed. Carries the whole membership so other services can enforce the same scope
    /// ("a learner manager sees only learners in their groups") from their own replica; the
    /// version only grows, so a replica applies a copy only if it is newer than what it has.
    public struct LearnerGroupChanged: DomainEvent {
        public static let producer = Producer.identity
        public static let eventName = "learner-group-changed"
        public static let majorVersion = 1

        public var groupId: UUID
        public var organisationId: UUID
        public var name: String
        public var learnerIds: [UUID]
        public var managerUserIds: [UUID]
        public var deleted: Bool
        public var version: Int64

        public static var example: Self {
            Self(groupId: UUID(uuidString: "5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716")!,
                 organisationId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!, name: "11R",
                 learnerIds: [UUID(uuidString: "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e")!],
                 managerUserIds: [UUID(uuidString: "2f1c4b8e-0d7a-4c55-9f3e-6a1b2c3d4e5f")!], deleted: false, version: 4)
        }

        public init(groupId: UUID, organisationId: UUID, name: String, learnerIds: [UUID], managerUserIds: [UUID],
                    deleted: Bool, version: Int64) {
            self.groupId = groupId
            self.organisationId = organisationId
            self.name = name
            self.learnerIds = learnerIds
            self.managerUserIds = managerUserIds
            self.deleted = deleted
            self.version = version
        }
    }
}
