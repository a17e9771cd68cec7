import Foundation

/// A Europe/London wall-clock time of day (`HH:mm`, 24-hour), as a timetable states it.
struct ClockTime: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// Minutes since midnight.
    let minutes: Int

    init?(minutes: Int) {
        guard (0..<1440).contains(minutes) else { return nil }
        self.minutes = minutes
    }

    /// Parses `HH:mm` (also `H:mm`, and `HH:mm:ss` with zero seconds, as PostgreSQL writes times).
    init?(_ text: String) {
        var parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 3, parts[2] == "00" { parts.removeLast() }
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute) else {
            return nil
        }
        self.minutes = hour * 60 + minute
    }

    var description: String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }

    static func < (lhs: ClockTime, rhs: ClockTime) -> Bool { lhs.minutes < rhs.minutes }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = ClockTime(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a time must be HH:mm (24-hour), e.g. 09:15")
        }
        self = time
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
