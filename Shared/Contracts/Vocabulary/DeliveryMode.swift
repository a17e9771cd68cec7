/// How a tutoring session is delivered (as STEPS records it).
public enum DeliveryMode: String, Codable, Sendable, CaseIterable {
    case faceToFace = "face-to-face"
    /// Online, with the learner in school.
    case onlineInSchool = "online-in-school"
    /// Online, with the learner at home.
    case onlineAtHome = "online-at-home"
}

/// A lesson of a cohort (a course's timetable) or a tutoring session (one tutor, one to three learners).
public enum LessonKind: String, Codable, Sendable, CaseIterable {
    case cohort
    case tutoring
}
