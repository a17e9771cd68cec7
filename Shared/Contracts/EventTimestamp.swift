import Foundation

/// The envelope's timestamps, `2026-11-25T04:18:50.123Z`: ISO 8601 in UTC with milliseconds.
///
/// Written and read by hand because every event passes through here twice (outbox and inbox), and
/// Foundation's `ISO8601FormatStyle` cost more than the rest of the envelope's JSON together
/// (BENCHMARKS.md, event pipeline). Reading falls back to Foundation for any other ISO 8601 form
/// (an offset instead of `Z`, no fraction), so producers with other encoders still interoperate.
public enum EventTimestamp {
    /// UTC with exactly three fractional digits, truncated to the millisecond as Foundation's
    /// `ISO8601FormatStyle(includingFractionalSeconds: true)` does.
    public static func format(_ date: Date) -> String {
        // From the value a Date holds (seconds since 2001), as Foundation does, so the digits are the same.
        let sinceReference = date.timeIntervalSinceReferenceDate
        // Years 1900-9999 here (tested against Foundation); anything else, or not a number, through Foundation.
        guard sinceReference.isFinite, (-3_187_296_000...252_423_993_599).contains(sinceReference) else {
            return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
        let whole = sinceReference.rounded(.down)
        let millisecond = min(999, Int64(((sinceReference - whole) * 1000).rounded(.down)))
        let seconds = Int64(whole) + referenceDateOffset
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let (year, month, day) = CalendarDate(dayNumber: Int(days)).components
        var bytes = [UInt8]()
        bytes.reserveCapacity(24)
        append(year, digits: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(month, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(day, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        append(secondOfDay / 3600, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(secondOfDay / 60 % 60, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(secondOfDay % 60, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        append(millisecond, digits: 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` directly; any other ISO 8601 form through Foundation.
    public static func parse(_ text: String) -> Date? {
        if let date = parseUTC(Array(text.utf8)) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: .iso8601)
    }

    private static func parseUTC(_ bytes: [UInt8]) -> Date? {
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"),
              bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
              let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]),
              let date = CalendarDate(year: year, month: month, day: day), hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction = 0.0
        if bytes.count > 20 {
            let digits = bytes[20..<(bytes.count - 1)]
            guard bytes[19] == UInt8(ascii: "."), (1...9).contains(digits.count), let value = number(digits) else { return nil }
            fraction = Double(value) / pow(10, Double(digits.count))
        } else if bytes[19] != UInt8(ascii: "Z") {
            return nil
        }
        let seconds = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Date(timeIntervalSinceReferenceDate: Double(seconds - referenceDateOffset) + fraction)
    }

    /// Seconds from 1970-01-01 to 2001-01-01, the reference date.
    private static let referenceDateOffset: Int64 = 978_307_200

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    private static func append(_ value: some BinaryInteger, digits: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        var rest = Int(value)
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor - (value % divisor < 0 ? 1 : 0)
        return (quotient, value - quotient * divisor)
    }
}
