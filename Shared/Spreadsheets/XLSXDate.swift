import Foundation

/// A calendar day as Excel stores it: a serial number of days. Used for dates of birth, which have no time or zone.
public struct XLSXDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days from 1970-01-01 to 1900-03-01, the first day after Excel's phantom 29 February 1900.
    private static let firstDayAfterPhantomLeapDay = -25_508
    /// Serial of 1970-01-01 in each date system.
    private static let unixEpochSerial1900 = 25_569
    private static let unixEpochSerial1904 = 24_107
    /// 9999-12-31, the last day Excel can show.
    private static let lastSerial1900 = 2_958_465

    /// The day a cell's serial number stands for, ignoring any time of day.
    ///
    /// In the 1900 system (the default) serial 1 is 1900-01-01, and Excel — copying Lotus 1-2-3 — counts a
    /// 29 February 1900 that never existed as serial 60, so serials from 61 on are one more than the true day count.
    /// Returns nil for serial 60 (that phantom day), for serials below 1 and past 9999-12-31.
    /// Workbooks saved with the 1904 system (old Mac Excel; `XLSXReader.uses1904DateSystem`) count from 1904-01-01 as 0.
    public static func date(fromSerial serial: Double, uses1904DateSystem: Bool = false) -> XLSXDate? {
        guard serial.isFinite else { return nil }
        let whole = Int(serial.rounded(.down))
        if uses1904DateSystem {
            guard whole >= 0, whole <= lastSerial1900 - 1_462 else { return nil }
            return XLSXDate(daysSince1970: whole - unixEpochSerial1904)
        }
        switch whole {
        case 1..<60: return XLSXDate(daysSince1970: whole - unixEpochSerial1900 + 1)
        case 61...lastSerial1900: return XLSXDate(daysSince1970: whole - unixEpochSerial1900)
        default: return nil
        }
    }

    /// The serial number Excel uses for this day, or nil before the first day the date system can show.
    public func serial(uses1904DateSystem: Bool = false) -> Double? {
        let days = daysSince1970
        if uses1904DateSystem {
            let serial = days + Self.unixEpochSerial1904
            return serial >= 0 ? Double(serial) : nil
        }
        let serial = days >= Self.firstDayAfterPhantomLeapDay ? days + Self.unixEpochSerial1900 : days + Self.unixEpochSerial1900 - 1
        return serial >= 1 ? Double(serial) : nil
    }

    /// Year, month and day for callers that work with `Calendar`.
    public var dateComponents: DateComponents {
        DateComponents(year: year, month: month, day: day)
    }

    /// ISO 8601, e.g. `2011-09-01`.
    public var description: String {
        let paddedMonth = month < 10 ? "0\(month)" : "\(month)"
        let paddedDay = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(paddedMonth)-\(paddedDay)"
    }

    public static func < (lhs: XLSXDate, rhs: XLSXDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    // Proleptic Gregorian conversions (Howard Hinnant's algorithms): exact, and free of time zones and `Calendar`.

    init(daysSince1970 days: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    var daysSince1970: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
