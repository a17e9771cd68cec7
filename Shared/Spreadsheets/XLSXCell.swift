/// One cell's value as stored in the workbook. Dates are stored by Excel as numbers; convert them with `XLSXDate`.
public enum XLSXCell: Sendable, Hashable {
    case empty
    case text(String)
    case number(Double)
    case boolean(Bool)
    /// An error value such as `#N/A` or `#DIV/0!`.
    case error(String)

    /// The value as text, the way a person reading the sheet would type it back: whole numbers without `.0`.
    public var stringValue: String {
        switch self {
        case .empty: ""
        case let .text(text): text
        case let .number(number): Self.format(number)
        case let .boolean(flag): flag ? "TRUE" : "FALSE"
        case let .error(code): code
        }
    }

    public var numberValue: Double? {
        if case let .number(number) = self { number } else { nil }
    }

    public var isEmpty: Bool {
        switch self {
        case .empty: true
        case let .text(text): text.allSatisfy(\.isWhitespace)
        default: false
        }
    }

    /// Whole numbers below 10^15 print as integers (a ULN must read `1234567899`, not `1234567899.0`).
    static func format(_ number: Double) -> String {
        if number.isFinite, number == number.rounded(), abs(number) < 1e15 {
            return String(Int64(number))
        }
        return String(number)
    }
}
