import Foundation

extension IdentityEvents {
    /// A learner was added, corrected, marked as left or moved up a year. Carries what other
    /// services need to show and scope the learner (not the duty-of-care details), with a
    /// version that only grows so replicas keep the newest copy.
    public struct LearnerRecorded: DomainEvent {
        public static let producer = Producer.identity
        public static let eventName = "learner-recorded"
        public static let majorVersion = 1

        public var learnerId: UUID
        /// The home school (or provider) that keeps the learner's record.
        public var organisationId: UUID
        public var firstName: String
        public var middleNames: String?
        public var lastName: String
        /// ISO calendar date, `yyyy-mm-dd`.
        public var dateOfBirth: String
        public var upn: String?
        public var uln: String?
        public var yearGroup: Int?
        public var tutorGroup: String?
        /// ISO calendar date the learner left ("not at my provider"), if they have.
        public var leftOn: String?
        public var version: Int64
        // Added within v1 (optional, so older copies still decode): what training-record
        // filters need. Gender (`female`, `male`, `other`, `not-known`); the DfE ethnicity code;
        // SEN provision (`ehc-plan`, `sen-support`, `none`); the local authority the learner is in
        // the care of (looked-after children), if any.
        public var gender: String?
        public var ethnicityCode: String?
        public var senProvision: String?
        public var inCareOfLocalAuthority: String?

        public static var example: Self {
            Self(learnerId: UUID(uuidString: "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e")!,
                 organisationId: UUID(uuidString: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d")!,
                 firstName: "Aoife", middleNames: nil, lastName: "Ní Bhriain", dateOfBirth: "2011-03-14",
                 upn: "H801200001001", uln: "9123456786", yearGroup: 10, tutorGroup: "10R", leftOn: nil, version: 2,
                 gender: "female", ethnicityCode: "WIRI", senProvision: "sen-support", inCareOfLocalAuthority: nil)
        }

        public init(learnerId: UUID, organisationId: UUID, firstName: String, middleNames: String?, lastName: String,
                    dateOfBirth: String, upn: String?, uln: String?, yearGroup: Int?, tutorGroup: String?,
                    leftOn: String?, version: Int64, gender: String? = nil, ethnicityCode: String? = nil,
                    senProvision: String? = nil, inCareOfLocalAuthority: String? = nil) {
            self.learnerId = learnerId
            self.organisationId = organisationId
            self.firstName = firstName
            self.middleNames = middleNames
            self.lastName = lastName
            self.dateOfBirth = dateOfBirth
            self.upn = upn
            self.uln = uln
            self.yearGroup = yearGroup
            self.tutorGroup = tutorGroup
            self.leftOn = leftOn
            self.version = version
            self.gender = gender
            self.ethnicityCode = ethnicityCode
            self.senProvision = senProvision
            self.inCareOfLocalAuthority = inCareOfLocalAuthority
        }
    }
}
