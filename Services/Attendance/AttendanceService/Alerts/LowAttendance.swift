import Foundation

/// The rule behind the low-attendance alert, on the counts `AttendanceSummary` is made of (so
/// "attended" and "possible" mean what the training record shows: present or late, of registers
/// taken).
enum LowAttendance {
    /// How many days the figure covers, ending on the day of the mark just recorded.
    static let windowDays = 28

    /// The attendance percentage when it is below `threshold` and at least `minimumSessions`
    /// sessions are marked; nil otherwise. Compared exactly, not after rounding, so 89.96% is below 90%.
    static func below(_ threshold: Percentage, counts: AttendanceCounts, minimumSessions: Int) -> Percentage? {
        guard counts.marked >= max(1, minimumSessions), let summary = try? AttendanceSummary(counts: counts),
              let percentage = summary.totalAttendance.percentage else { return nil }
        let attended = summary.totalAttendance.count, possible = counts.registersTaken
        // attended / possible < tenths / 1000, without division.
        guard attended * 1000 < threshold.tenths * possible else { return nil }
        return percentage
    }
}
