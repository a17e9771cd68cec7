/// The columns of `training-records.csv`, the file schools use for mail merges (one row per
/// training record, headings a Word merge field can use as they are).
enum TrainingRecordExport {
    static let header = [
        "Training record ID", "First name", "Surname", "Date of birth", "UPN", "Year group", "Home school", "Provider",
        "Course", "Cohort start date", "Start date", "End date", "Status", "Registers taken", "Lessons scheduled",
        "Total attendance", "Total attendance %", "Present", "Present %", "Late", "Late %", "Absent", "Absent %",
        "Unmarked", "Unmarked %", "Other", "Other %", "Missing", "Missing %",
    ]

    static func row(_ record: TrainingRecordSummary) -> [String] {
        let summary = record.attendance
        func figure(_ figure: AttendanceSummary.Figure) -> [String] { ["\(figure.count)", figure.percentageText] }
        return [
            record.id.uuidString.lowercased(), record.learner.firstName, record.learner.lastName, record.learner.dateOfBirth,
            record.learner.upn ?? "", record.learner.yearGroup.map(String.init) ?? "", record.schoolName ?? "",
            record.providerName, record.courseTitle, record.cohortStartDate, record.startDate, record.endDate ?? "",
            record.status.rawValue, "\(summary.registersTaken)", "\(summary.lessonsScheduled)",
        ] + figure(summary.totalAttendance) + figure(summary.present) + figure(summary.late) + figure(summary.absent)
            + figure(summary.unmarked) + figure(summary.other) + figure(summary.missing)
    }
}
