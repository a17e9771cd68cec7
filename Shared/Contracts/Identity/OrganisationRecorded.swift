import Foundation

extension IdentityEvents {
    /// An organisation was registered or its details changed. Carries the whole record, with a
    /// version that only grows, so replicas keep the newest and ignore late or repeated copies.
    public struct OrganisationRecorded: DomainEvent {
        public static let producer = Producer.identity
        public static let eventName = "organisation-recorded"
        public static let majorVersion = 1

        public var organisationId: UUID
        public var kind: OrganisationKind
        public var name: String
        public var address: String?
        public var telephone: String?
        public var localAuthorityCode: String?
        public var establishmentNumber: String?
        public var urn: String?
        public var ukprn: String?
        public var version: Int64

        public static var example: Self {
            Self(organisationId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!, kind: .school,
                 name: "Coundon Court", address: "Northbrook Road, Coventry CV6 2AJ", telephone: "024 7659 1515",
                 localAuthorityCode: "331", establishmentNumber: "4045", urn: "103738", ukprn: "10007000", version: 3)
        }

        public init(organisationId: UUID, kind: OrganisationKind, name: String, address: String?, telephone: String?,
                    localAuthorityCode: String?, establishmentNumber: String?, urn: String?, ukprn: String?, version: Int64) {
            self.organisationId = organisationId
            self.kind = kind
            self.name = name
            self.address = address
            self.telephone = telephone
            self.localAuthorityCode = localAuthorityCode
            self.establishmentNumber = establishmentNumber
            self.urn = urn
            self.ukprn = ukprn
            self.version = version
        }
    }
}
