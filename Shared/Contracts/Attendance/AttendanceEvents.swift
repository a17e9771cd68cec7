/// Events published by the attendance service (placements, lessons, registers and marks).
public enum AttendanceEvents {
    public static let all: [EventDescriptor] = [
        EventDescriptor(PlacementStarted.self),
        EventDescriptor(PlacementEnded.self),
        EventDescriptor(LessonScheduled.self),
        EventDescriptor(LessonCancelled.self),
        EventDescriptor(MarkRecorded.self),
        EventDescriptor(MarkChanged.self),
        EventDescriptor(RegisterCompleted.self),
        EventDescriptor(AbsenceProcessed.self),
        EventDescriptor(RegisterOverdue.self),
        EventDescriptor(ConsecutiveAbsencesAlert.self),
        EventDescriptor(LowAttendanceAlert.self),
    ]
}
