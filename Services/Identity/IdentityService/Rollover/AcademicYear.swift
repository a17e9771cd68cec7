import Foundation

/// The UK academic year, 1 September to 31 August, named by the year it starts in
/// (2026 is 1 September 2026 to 31 August 2027), on the Europe/London calendar.
struct AcademicYear: Sendable, Equatable, Comparable, Codable {
    let startYear: Int

    init(startYear: Int) { self.startYear = startYear }

    init(containing date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        let parts = calendar.dateComponents([.year, .month], from: date)
        startYear = parts.month! >= 9 ? parts.year! : parts.year! - 1
    }

    /// The last day of the year before, when learners leaving at rollover are recorded as left.
    var dayBeforeStart: String { String(format: "%04d-08-31", startYear) }
    var label: String { "\(startYear)/\(String(format: "%02d", (startYear + 1) % 100))" }

    static func < (lhs: AcademicYear, rhs: AcademicYear) -> Bool { lhs.startYear < rhs.startYear }
}
