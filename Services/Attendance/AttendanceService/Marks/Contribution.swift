/// A learner's contribution in one lesson, as CLM records it beside the mark: -2 to +2, 0 ("expected
/// standard") unless the tutor says otherwise. Optional for providers; it is counted on the training
/// record for the lessons the learner attended (see `ContributionBalance`).
///
/// Build one from user input with `init(_:)`, which refuses anything outside -2...+2 with a message;
/// it encodes as the bare integer and refuses out-of-range integers when decoded.
struct Contribution: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    static let range = -2...2
    static let expected = Contribution(checked: 0)
    /// Every value, most positive first, as CLM's register and training record list them.
    static let all = range.reversed().map { Contribution(checked: $0) }

    let value: Int

    init(_ value: Int) throws(OutOfRange) {
        guard Self.range.contains(value) else { throw OutOfRange(value: value) }
        self.value = value
    }

    private init(checked value: Int) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(Int.self)
        do {
            try self.init(value)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// "+2", "+1", "+0", "-1", "-2": CLM always shows the sign.
    var text: String { value < 0 ? "\(value)" : "+\(value)" }

    /// CLM's meaning of each value.
    var meaning: String {
        switch value {
        case 2: "exceptionally positive"
        case 1: "above standard"
        case 0: "expected standard"
        case -1: "below standard"
        default: "exceptionally negative"
        }
    }

    var description: String { text }

    static func < (lhs: Contribution, rhs: Contribution) -> Bool { lhs.value < rhs.value }

    struct OutOfRange: Error, Equatable, Sendable, CustomStringConvertible {
        var value: Int
        var message: String { "Contribution must be a whole number from -2 to +2; \(value) is not." }
        var description: String { message }
    }
}
