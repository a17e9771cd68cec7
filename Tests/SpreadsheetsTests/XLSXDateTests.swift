import Testing
import Spreadsheets

@Suite("Excel serial dates")
struct XLSXDateTests {
    @Test(arguments: [
        (1.0, XLSXDate(year: 1900, month: 1, day: 1)),
        (59.0, XLSXDate(year: 1900, month: 2, day: 28)),
        (61.0, XLSXDate(year: 1900, month: 3, day: 1)), // after Lotus's phantom 29 February 1900
        (25_569.0, XLSXDate(year: 1970, month: 1, day: 1)),
        (36_526.0, XLSXDate(year: 2000, month: 1, day: 1)),
        (36_585.0, XLSXDate(year: 2000, month: 2, day: 29)),
        (40_787.0, XLSXDate(year: 2011, month: 9, day: 1)),
        (45_658.75, XLSXDate(year: 2025, month: 1, day: 1)), // the time of day is ignored
        (2_958_465.0, XLSXDate(year: 9999, month: 12, day: 31)),
    ])
    func serialsInThe1900System(serial: Double, date: XLSXDate) {
        #expect(XLSXDate.date(fromSerial: serial) == date)
        #expect(date.serial() == serial.rounded(.down))
    }

    @Test func serialsWithNoRealDay() {
        #expect(XLSXDate.date(fromSerial: 60) == nil) // 29 February 1900 never happened
        #expect(XLSXDate.date(fromSerial: 0) == nil)
        #expect(XLSXDate.date(fromSerial: -1) == nil)
        #expect(XLSXDate.date(fromSerial: 2_958_466) == nil)
        #expect(XLSXDate.date(fromSerial: .nan) == nil)
        #expect(XLSXDate(year: 1899, month: 12, day: 31).serial() == nil)
    }

    @Test func the1904System() {
        #expect(XLSXDate.date(fromSerial: 0, uses1904DateSystem: true) == XLSXDate(year: 1904, month: 1, day: 1))
        // The two systems are 1,462 days apart.
        #expect(XLSXDate.date(fromSerial: 40_787 - 1_462, uses1904DateSystem: true) == XLSXDate(year: 2011, month: 9, day: 1))
        #expect(XLSXDate(year: 2011, month: 9, day: 1).serial(uses1904DateSystem: true) == 39_325)
    }

    @Test func everyDayFrom1900To2100RoundTrips() {
        var previous = XLSXDate(year: 1900, month: 2, day: 28)
        var failures: [Int] = []
        for serial in 61...73_415 {
            // Plain checks rather than #expect per day: 73,000 expectations would dominate the run time.
            guard let date = XLSXDate.date(fromSerial: Double(serial)), date > previous, date.serial() == Double(serial) else {
                failures.append(serial)
                continue
            }
            previous = date
        }
        #expect(failures.isEmpty)
        #expect(previous == XLSXDate(year: 2100, month: 12, day: 31))
    }

    @Test func presentation() {
        let date = XLSXDate(year: 2011, month: 9, day: 1)
        #expect(date.description == "2011-09-01")
        #expect(date.dateComponents.year == 2011 && date.dateComponents.month == 9 && date.dateComponents.day == 1)
    }
}
