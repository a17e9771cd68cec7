import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// A learner's record as the home school (or provider) keeps it: who they are, the national
/// identifiers, where they are in school, the duty-of-care background that keeps them safe, and
/// who to call in an emergency (the CLM "Full learner details").
struct Learner: ResponseEncodable, Codable, Sendable, Equatable {
    var id: UUID
    /// The home school or provider that keeps the record.
    var organisationId: UUID
    var organisationName: String
    var firstName: String
    var middleNames: String?
    var lastName: String
    /// ISO calendar date, `yyyy-mm-dd`.
    var dateOfBirth: String
    var gender: Gender?
    var ethnicityCode: String?
    var upn: String?
    var uln: String?
    /// The school's MIS (e.g. SIMS) admission number or equivalent.
    var misNumber: String?
    var yearGroup: Int?
    var tutorGroup: String?
    /// Marked to stay in their year group at the next academic-year rollover.
    var keptBack: Bool
    var dutyOfCare: DutyOfCare
    var emergencyContacts: [EmergencyContact]
    /// The day the learner left ("not at my provider"), if they have.
    var leftOn: String?
    var left: Bool
    var login: LearnerLogin?
    /// The groups the caller may see the learner in (on a single learner only).
    var groups: [LearnerGroupReference]?
    var version: Int64
    var createdAt: Date
    var updatedAt: Date

    var recorded: IdentityEvents.LearnerRecorded {
        .init(learnerId: id, organisationId: organisationId, firstName: firstName, middleNames: middleNames, lastName: lastName,
              dateOfBirth: dateOfBirth, upn: upn, uln: uln, yearGroup: yearGroup, tutorGroup: tutorGroup, leftOn: leftOn,
              version: version, gender: gender?.rawValue, ethnicityCode: ethnicityCode,
              senProvision: dutyOfCare.senProvision?.rawValue, inCareOfLocalAuthority: dutyOfCare.inCareOfLocalAuthority)
    }

    var displayName: String { "\(firstName) \(lastName)" }

    /// The editable details as they are now, the starting point of a partial update.
    var details: LearnerDetails {
        LearnerDetails(organisationId: organisationId, firstName: firstName, middleNames: middleNames, lastName: lastName,
                       dateOfBirth: dateOfBirth, gender: gender, ethnicityCode: ethnicityCode, upn: upn, uln: uln,
                       misNumber: misNumber, yearGroup: yearGroup, tutorGroup: tutorGroup, keptBack: keptBack,
                       dutyOfCare: dutyOfCare, emergencyContacts: emergencyContacts)
    }
}

/// The learner's login for taking part in evaluations, if they have one.
struct LearnerLogin: Codable, Sendable, Equatable {
    var userId: UUID
    var username: String
    var status: AccountStatus
    var mustChangePassword: Bool
}

/// What a learner sees of their own record when signed in: who they are, not the
/// duty-of-care notes or emergency contacts staff keep about them.
struct LearnerOwnView: ResponseEncodable, Sendable {
    var id: UUID
    var organisationId: UUID
    var organisationName: String
    var firstName: String
    var middleNames: String?
    var lastName: String
    var dateOfBirth: String
    var yearGroup: Int?
    var tutorGroup: String?

    init(_ learner: Learner) {
        id = learner.id
        organisationId = learner.organisationId
        organisationName = learner.organisationName
        firstName = learner.firstName
        middleNames = learner.middleNames
        lastName = learner.lastName
        dateOfBirth = learner.dateOfBirth
        yearGroup = learner.yearGroup
        tutorGroup = learner.tutorGroup
    }
}

/// A row of the learners list: enough to find and tell learners apart.
struct LearnerSummary: Codable, Sendable, Equatable {
    var id: UUID
    var organisationId: UUID
    var organisationName: String
    var firstName: String
    var middleNames: String?
    var lastName: String
    var dateOfBirth: String
    var gender: Gender?
    var upn: String?
    var uln: String?
    var misNumber: String?
    var yearGroup: Int?
    var tutorGroup: String?
    var leftOn: String?
    var left: Bool
    var hasLogin: Bool

    init(_ learner: Learner) {
        id = learner.id
        organisationId = learner.organisationId
        organisationName = learner.organisationName
        firstName = learner.firstName
        middleNames = learner.middleNames
        lastName = learner.lastName
        dateOfBirth = learner.dateOfBirth
        gender = learner.gender
        upn = learner.upn
        uln = learner.uln
        misNumber = learner.misNumber
        yearGroup = learner.yearGroup
        tutorGroup = learner.tutorGroup
        leftOn = learner.leftOn
        left = learner.left
        hasLogin = learner.login != nil
    }
}

/// An enum read from JSON with a message that lists the values allowed.
protocol NamedValues: RawRepresentable, CaseIterable, Codable where RawValue == String {}

extension NamedValues {
    init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                "must be one of: \(Self.allCases.map(\.rawValue).joined(separator: ", "))."))
        }
        self = value
    }
}

enum Gender: String, NamedValues, Sendable {
    case female, male, other
    case notKnown = "not-known"
}

/// Special educational needs provision, as the school census records it.
enum SENProvision: String, NamedValues, Sendable {
    /// N: no special educational need.
    case none
    /// K: SEN support.
    case senSupport = "sen-support"
    /// E: an education, health and care plan.
    case ehcPlan = "ehc-plan"
}

/// Background that promotes the effective education and safety of the learner.
struct DutyOfCare: Codable, Sendable, Equatable {
    var freeSchoolMeals: Bool?
    var pupilPremium: Bool?
    var medicalFlag: Bool?
    var medicalNotes: String?
    var senProvision: SENProvision?
    var senClassification: String?
    var senNotes: String?
    var giftedTalented: Bool?
    /// The local authority the learner is in the care of (looked-after children).
    var inCareOfLocalAuthority: String?
    /// Percentage, 0–100.
    var previousYearAttendance: Double?

    init(freeSchoolMeals: Bool? = nil, pupilPremium: Bool? = nil, medicalFlag: Bool? = nil, medicalNotes: String? = nil,
         senProvision: SENProvision? = nil, senClassification: String? = nil, senNotes: String? = nil,
         giftedTalented: Bool? = nil, inCareOfLocalAuthority: String? = nil, previousYearAttendance: Double? = nil) {
        self.freeSchoolMeals = freeSchoolMeals
        self.pupilPremium = pupilPremium
        self.medicalFlag = medicalFlag
        self.medicalNotes = medicalNotes
        self.senProvision = senProvision
        self.senClassification = senClassification
        self.senNotes = senNotes
        self.giftedTalented = giftedTalented
        self.inCareOfLocalAuthority = inCareOfLocalAuthority
        self.previousYearAttendance = previousYearAttendance
    }

    /// The keys a partial update may name.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case freeSchoolMeals, pupilPremium, medicalFlag, medicalNotes, senProvision, senClassification, senNotes
        case giftedTalented, inCareOfLocalAuthority, previousYearAttendance
    }

    mutating func normalise(prefix: String) -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        medicalNotes = FieldText.clean(medicalNotes, field: prefix + "medicalNotes", limit: 4000, multiline: true, into: &errors)
        senClassification = FieldText.clean(senClassification, field: prefix + "senClassification", limit: 100, into: &errors)
        senNotes = FieldText.clean(senNotes, field: prefix + "senNotes", limit: 4000, multiline: true, into: &errors)
        inCareOfLocalAuthority = FieldText.clean(inCareOfLocalAuthority, field: prefix + "inCareOfLocalAuthority",
                                                   limit: 100, into: &errors)
        if let attendance = previousYearAttendance {
            if !attendance.isFinite || attendance < 0 || attendance > 100 {
                errors.append(.init(field: prefix + "previousYearAttendance", message: "Enter a percentage between 0 and 100."))
            } else {
                previousYearAttendance = (attendance * 100).rounded() / 100
            }
        }
        return errors
    }
}

/// Who to call in an emergency, with daytime, evening and mobile numbers.
struct EmergencyContact: Codable, Sendable, Equatable {
    var name: String
    var relationship: String?
    var daytimeTelephone: String?
    var eveningTelephone: String?
    var mobileTelephone: String?

    mutating func normalise(prefix: String) -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        name = FieldText.clean(name, field: prefix + "name", limit: 100, into: &errors) ?? ""
        if name.isEmpty { errors.append(.init(field: prefix + "name", message: "Enter the contact's name.")) }
        relationship = FieldText.clean(relationship, field: prefix + "relationship", limit: 50, into: &errors)
        for (field, value) in [("daytimeTelephone", daytimeTelephone), ("eveningTelephone", eveningTelephone),
                               ("mobileTelephone", mobileTelephone)] {
            let cleaned = Text.clean(value)
            if let cleaned, !Text.isTelephone(cleaned) {
                errors.append(.init(field: prefix + field, message: "Enter a telephone number of digits, spaces and + ( ) - only."))
            }
            switch field {
            case "daytimeTelephone": daytimeTelephone = cleaned
            case "eveningTelephone": eveningTelephone = cleaned
            default: mobileTelephone = cleaned
            }
        }
        return errors
    }
}

/// The editable details of a learner (creation, and the result of applying a partial update),
/// validated field by field.
struct LearnerDetails: Codable, Sendable, Equatable {
    var organisationId: UUID?
    var firstName: String
    var middleNames: String?
    var lastName: String
    var dateOfBirth: String
    var gender: Gender?
    var ethnicityCode: String?
    var upn: String?
    var uln: String?
    var misNumber: String?
    var yearGroup: Int?
    var tutorGroup: String?
    var keptBack: Bool?
    var dutyOfCare: DutyOfCare?
    var emergencyContacts: [EmergencyContact]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case organisationId, firstName, middleNames, lastName, dateOfBirth, gender, ethnicityCode, upn, uln, misNumber
        case yearGroup, tutorGroup, keptBack, dutyOfCare, emergencyContacts
    }

    static let yearGroups = -2...14
    static let maximumEmergencyContacts = 10

    /// Trims text, turns blanks into nil, puts identifiers in their standard form, and names
    /// every field that is wrong; the UPN and ULN messages say which check failed.
    mutating func normalise(prefix: String = "", today: String = CalendarDate.today().description) -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        firstName = FieldText.clean(firstName, field: prefix + "firstName", limit: 100, into: &errors) ?? ""
        if firstName.isEmpty, !errors.contains(where: { $0.field == prefix + "firstName" }) {
            errors.append(.init(field: prefix + "firstName", message: "Enter the first name."))
        }
        middleNames = FieldText.clean(middleNames, field: prefix + "middleNames", limit: 100, into: &errors)
        lastName = FieldText.clean(lastName, field: prefix + "lastName", limit: 100, into: &errors) ?? ""
        if lastName.isEmpty, !errors.contains(where: { $0.field == prefix + "lastName" }) {
            errors.append(.init(field: prefix + "lastName", message: "Enter the last name."))
        }
        dateOfBirth = dateOfBirth.trimmingCharacters(in: .whitespacesAndNewlines)
        if dateOfBirth.isEmpty {
            errors.append(.init(field: prefix + "dateOfBirth", message: "Enter the date of birth."))
        } else if CalendarDate(dateOfBirth) == nil {
            errors.append(.init(field: prefix + "dateOfBirth", message: "Enter the date of birth as yyyy-mm-dd, e.g. 2011-03-14."))
        } else if dateOfBirth > today {
            errors.append(.init(field: prefix + "dateOfBirth", message: "The date of birth cannot be in the future."))
        } else if dateOfBirth < "1900-01-01" {
            errors.append(.init(field: prefix + "dateOfBirth", message: "The date of birth must be after 1900."))
        }
        ethnicityCode = Text.clean(ethnicityCode)?.uppercased()
        if let code = ethnicityCode, !(code.count == 4 && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            errors.append(.init(field: prefix + "ethnicityCode", message: "An ethnicity code is the 4-letter census code, e.g. WBRI."))
        }
        if let raw = Text.clean(upn) {
            do throws(UPN.Problem) { upn = try UPN(raw).value } catch {
                upn = raw
                errors.append(.init(field: prefix + "upn", message: error.description))
            }
        } else { upn = nil }
        if let raw = Text.clean(uln) {
            do throws(ULN.Problem) { uln = try ULN(raw).value } catch {
                uln = raw
                errors.append(.init(field: prefix + "uln", message: error.description))
            }
        } else { uln = nil }
        misNumber = FieldText.clean(misNumber, field: prefix + "misNumber", limit: 30, into: &errors)
        if let yearGroup, !Self.yearGroups.contains(yearGroup) {
            errors.append(.init(field: prefix + "yearGroup", message:
                "A year group is between -2 (nursery 1) and 14; reception is 0."))
        }
        tutorGroup = FieldText.clean(tutorGroup, field: prefix + "tutorGroup", limit: 50, into: &errors)
        var duty = dutyOfCare ?? DutyOfCare()
        errors += duty.normalise(prefix: prefix + "dutyOfCare.")
        dutyOfCare = duty
        var contacts = emergencyContacts ?? []
        if contacts.count > Self.maximumEmergencyContacts {
            errors.append(.init(field: prefix + "emergencyContacts", message:
                "Record at most \(Self.maximumEmergencyContacts) emergency contacts."))
        }
        for index in contacts.indices {
            errors += contacts[index].normalise(prefix: prefix + "emergencyContacts[\(index)].")
        }
        emergencyContacts = contacts
        return errors
    }
}

extension LearnerDetails {
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        organisationId = try container.decodeField(UUID.self, forKey: .organisationId)
        firstName = try container.decode(String.self, forKey: .firstName)
        middleNames = try container.decodeField(String.self, forKey: .middleNames)
        lastName = try container.decode(String.self, forKey: .lastName)
        dateOfBirth = try container.decode(String.self, forKey: .dateOfBirth)
        gender = try container.decodeField(Gender.self, forKey: .gender)
        ethnicityCode = try container.decodeField(String.self, forKey: .ethnicityCode)
        upn = try container.decodeField(String.self, forKey: .upn)
        uln = try container.decodeField(String.self, forKey: .uln)
        misNumber = try container.decodeField(String.self, forKey: .misNumber)
        yearGroup = try container.decodeField(Int.self, forKey: .yearGroup)
        tutorGroup = try container.decodeField(String.self, forKey: .tutorGroup)
        keptBack = try container.decodeField(Bool.self, forKey: .keptBack)
        dutyOfCare = try container.decodeField(DutyOfCare.self, forKey: .dutyOfCare)
        emergencyContacts = try container.decodeField([EmergencyContact].self, forKey: .emergencyContacts)
    }
}

extension KeyedDecodingContainer {
    /// `decodeIfPresent`, except that a number that does not fit (3.5 for a whole number) is
    /// reported at its key: Foundation reports it as if the whole body were not JSON.
    func decodeField<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        do {
            return try decodeIfPresent(Value.self, forKey: key)
        } catch let error as DecodingError {
            throw error
        } catch let problem as Problem {
            throw problem
        } catch {
            let expected = Value.self == Int.self ? "a whole number" : "a number that fits"
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "\(expected) is expected.",
                                                    underlyingError: error))
        }
    }
}

/// A partial update of a learner: fields left out keep their value; `null` clears an optional
/// field. `dutyOfCare` is merged key by key (`null` clears all of it); `emergencyContacts`
/// replaces the whole list. Unknown fields are refused, so a misspelt field is not silently ignored.
struct LearnerPatch: Decodable, Sendable {
    var organisationId: UUID??
    var firstName: String??
    var middleNames: String??
    var lastName: String??
    var dateOfBirth: String??
    var gender: Gender??
    var ethnicityCode: String??
    var upn: String??
    var uln: String??
    var misNumber: String??
    var yearGroup: Int??
    var tutorGroup: String??
    var keptBack: Bool??
    var dutyOfCareCleared = false
    var dutyOfCare = DutyOfCarePatch()
    var emergencyContacts: [EmergencyContact]??

    enum Keys: String, CodingKey, CaseIterable {
        case organisationId, firstName, middleNames, lastName, dateOfBirth, gender, ethnicityCode, upn, uln, misNumber
        case yearGroup, tutorGroup, keptBack, dutyOfCare, emergencyContacts
    }

    init(from decoder: any Decoder) throws {
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        func field<Value: Decodable>(_ key: Keys, _: Value.Type) throws -> Value?? {
            container.contains(key) ? .some(try container.decodeField(Value.self, forKey: key)) : nil
        }
        organisationId = try field(.organisationId, UUID.self)
        firstName = try field(.firstName, String.self)
        middleNames = try field(.middleNames, String.self)
        lastName = try field(.lastName, String.self)
        dateOfBirth = try field(.dateOfBirth, String.self)
        gender = try field(.gender, Gender.self)
        ethnicityCode = try field(.ethnicityCode, String.self)
        upn = try field(.upn, String.self)
        uln = try field(.uln, String.self)
        misNumber = try field(.misNumber, String.self)
        yearGroup = try field(.yearGroup, Int.self)
        tutorGroup = try field(.tutorGroup, String.self)
        keptBack = try field(.keptBack, Bool.self)
        emergencyContacts = try field(.emergencyContacts, [EmergencyContact].self)
        if container.contains(.dutyOfCare) {
            if try container.decodeNil(forKey: .dutyOfCare) {
                dutyOfCareCleared = true
            } else {
                dutyOfCare = try container.decode(DutyOfCarePatch.self, forKey: .dutyOfCare)
            }
        }
    }

    /// The learner's details with this patch applied (not yet validated).
    func applied(to learner: Learner) -> LearnerDetails {
        var details = learner.details
        if let organisationId { details.organisationId = organisationId ?? learner.organisationId }
        if let firstName { details.firstName = firstName ?? "" }
        if let middleNames { details.middleNames = middleNames }
        if let lastName { details.lastName = lastName ?? "" }
        if let dateOfBirth { details.dateOfBirth = dateOfBirth ?? "" }
        if let gender { details.gender = gender }
        if let ethnicityCode { details.ethnicityCode = ethnicityCode }
        if let upn { details.upn = upn }
        if let uln { details.uln = uln }
        if let misNumber { details.misNumber = misNumber }
        if let yearGroup { details.yearGroup = yearGroup }
        if let tutorGroup { details.tutorGroup = tutorGroup }
        if let keptBack { details.keptBack = keptBack ?? false }
        details.dutyOfCare = dutyOfCareCleared ? DutyOfCare() : dutyOfCare.applied(to: learner.dutyOfCare)
        if let emergencyContacts { details.emergencyContacts = emergencyContacts ?? [] }
        return details
    }
}

/// A partial update of the duty-of-care details, key by key.
struct DutyOfCarePatch: Decodable, Sendable {
    var freeSchoolMeals: Bool??
    var pupilPremium: Bool??
    var medicalFlag: Bool??
    var medicalNotes: String??
    var senProvision: SENProvision??
    var senClassification: String??
    var senNotes: String??
    var giftedTalented: Bool??
    var inCareOfLocalAuthority: String??
    var previousYearAttendance: Double??

    init() {}

    init(from decoder: any Decoder) throws {
        typealias Keys = DutyOfCare.CodingKeys
        try UnknownFields.refuse(in: decoder, allowed: Keys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: Keys.self)
        func field<Value: Decodable>(_ key: Keys, _: Value.Type) throws -> Value?? {
            container.contains(key) ? .some(try container.decodeField(Value.self, forKey: key)) : nil
        }
        freeSchoolMeals = try field(.freeSchoolMeals, Bool.self)
        pupilPremium = try field(.pupilPremium, Bool.self)
        medicalFlag = try field(.medicalFlag, Bool.self)
        medicalNotes = try field(.medicalNotes, String.self)
        senProvision = try field(.senProvision, SENProvision.self)
        senClassification = try field(.senClassification, String.self)
        senNotes = try field(.senNotes, String.self)
        giftedTalented = try field(.giftedTalented, Bool.self)
        inCareOfLocalAuthority = try field(.inCareOfLocalAuthority, String.self)
        previousYearAttendance = try field(.previousYearAttendance, Double.self)
    }

    func applied(to current: DutyOfCare) -> DutyOfCare {
        var duty = current
        if let freeSchoolMeals { duty.freeSchoolMeals = freeSchoolMeals }
        if let pupilPremium { duty.pupilPremium = pupilPremium }
        if let medicalFlag { duty.medicalFlag = medicalFlag }
        if let medicalNotes { duty.medicalNotes = medicalNotes }
        if let senProvision { duty.senProvision = senProvision }
        if let senClassification { duty.senClassification = senClassification }
        if let senNotes { duty.senNotes = senNotes }
        if let giftedTalented { duty.giftedTalented = giftedTalented }
        if let inCareOfLocalAuthority { duty.inCareOfLocalAuthority = inCareOfLocalAuthority }
        if let previousYearAttendance { duty.previousYearAttendance = previousYearAttendance }
        return duty
    }
}


