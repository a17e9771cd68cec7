/// A percentage to one decimal place, rounded half up as CLM shows it (16 of 194 = 8.247% → "8.2%",
/// 3 of 194 = 1.546% → "1.5%", 2 of 92 = 2.17% → "2.2%", 1 of 16 = 6.25% → "6.3%").
///
/// Worked out in whole tenths so that no binary floating-point error can tip a half the wrong way.
/// There is no percentage of nothing: `init(_:of:)` returns nil when the total is zero.
struct Percentage: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Tenths of a percent: 974 is 97.4%.
    let tenths: Int

    init?(_ count: Int, of total: Int) {
        guard total > 0, count >= 0 else { return nil }
        // round(count * 1000 / total) with halves going up, in integers.
        tenths = (count * 2000 + total) / (2 * total)
    }

    init(tenths: Int) { self.tenths = tenths }

    /// 97.4 for 97.4%.
    var value: Double { Double(tenths) / 10 }

    /// "97.4%".
    var text: String { "\(tenths / 10).\(tenths % 10)%" }

    var description: String { text }

    /// Encoded as the number of percent, e.g. `97.4`.
    init(from decoder: any Decoder) throws {
        let number = try decoder.singleValueContainer().decode(Double.self)
        tenths = Int((number * 10).rounded())
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    static func < (lhs: Percentage, rhs: Percentage) -> Bool { lhs.tenths < rhs.tenths }
}
