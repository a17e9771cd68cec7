/// Decodes Windows-1252, the encoding older Excel versions use for "CSV" on Windows in the UK.
/// Written out rather than using `String.Encoding.windowsCP1252` so it behaves the same on every platform.
enum Windows1252 {
    /// Code points for 0x80...0x9F; the five undefined bytes map to the C1 control of the same value (as browsers do).
    private static let highControlRange: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func decode(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? highControlRange[Int(byte) - 0x80] : UInt32(byte)
            // Every table entry is a valid scalar, so the fallback never happens.
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }
}
