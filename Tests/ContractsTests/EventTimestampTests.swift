import Contracts
import Foundation
import Testing

@Suite struct EventTimestampTests {
    static let foundation = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Dates across leap years, month ends, the epoch and before it, with and without milliseconds.
    static var dates: [Date] {
        var generator = SystemRandomNumberGenerator()
        let fixed: [Double] = [0, -0.001, -1, 0.999, 951_782_400, 951_868_799.999, 1_709_164_800.5, 4_102_444_799.999,
                               -2_208_988_800, 253_402_300_799.999, 1_795_000_000.1234]
        let random = (0..<5_000).map { _ in Double(Int64.random(in: -2_208_988_800_000...253_402_300_799_999, using: &generator)) / 1000 }
        let fractional = (0..<2_000).map { _ in Double.random(in: 0...4_102_444_800, using: &generator) }
        return (fixed + random + fractional).map(Date.init(timeIntervalSince1970:))
    }

    @Test func formatsExactlyAsFoundationDoes() {
        for date in Self.dates {
            #expect(EventTimestamp.format(date) == date.formatted(Self.foundation), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func readsWhatFoundationReads() throws {
        for date in Self.dates {
            let text = date.formatted(Self.foundation)
            let expected = try Date(text, strategy: Self.foundation)
            // The same millisecond; near 2001 (the reference date) the two may differ in the last bit of the
            // Double (…834.773 against …834.773000000001), which no reader of a millisecond text can see.
            let parsed = try #require(EventTimestamp.parse(text), "\(text)")
            #expect(abs(parsed.timeIntervalSince(expected)) < 1e-6, "\(text)")
        }
        // Other ISO 8601 forms still read, through Foundation.
        let instant = try Date("2026-11-25T04:18:50.000Z", strategy: Self.foundation)
        #expect(EventTimestamp.parse("2026-11-25T05:18:50+01:00") == instant)
        #expect(EventTimestamp.parse("2026-11-25T04:18:50Z") == instant)
        #expect(EventTimestamp.parse("2026-11-25T04:18:50.5Z") == instant.addingTimeInterval(0.5))
    }

    @Test func refusesWhatIsNotADate() {
        for text in ["", "2026-11-25", "2026-13-01T00:00:00.000Z", "2026-11-25T04:18:50.Z", "2026-11-25T04:18:5a.000Z",
                     "2026-11-25T04:18:50.1234567890Z", "yesterday"] {
            #expect(EventTimestamp.parse(text) == nil, "\(text)")
        }
    }
}
