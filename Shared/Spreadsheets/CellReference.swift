/// Converts between A1-style references and 0-based column / 1-based row numbers.
enum CellReference {
    /// Excel's limits: columns A...XFD, rows 1...1,048,576.
    static let maximumColumnCount = 16_384
    static let maximumRowCount = 1_048_576

    /// The 0-based column and 1-based row of a reference such as `C12` (`$C$12` is accepted), or nil if malformed.
    static func parse(_ reference: String) -> (column: Int, row: Int)? {
        var column = 0
        var row = 0
        var sawLetter = false
        var sawDigit = false
        for scalar in reference.unicodeScalars where scalar != "$" {
            switch scalar {
            case "A"..."Z", "a"..."z":
                guard !sawDigit else { return nil }
                sawLetter = true
                let uppercase = scalar.value >= 97 ? scalar.value - 32 : scalar.value
                column = column * 26 + Int(uppercase) - 64
                guard column <= maximumColumnCount else { return nil }
            case "0"..."9":
                guard sawLetter else { return nil }
                sawDigit = true
                row = row * 10 + Int(scalar.value - 48)
                guard row <= maximumRowCount else { return nil }
            default:
                return nil
            }
        }
        guard sawLetter, sawDigit, row >= 1 else { return nil }
        return (column - 1, row)
    }

    /// `0` → `A`, `25` → `Z`, `26` → `AA` (bijective base 26).
    static func columnName(_ column: Int) -> String {
        var remaining = column + 1
        var letters: [Character] = []
        while remaining > 0 {
            let digit = (remaining - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + digit))))
            remaining = (remaining - 1) / 26
        }
        return String(letters.reversed())
    }

    static func name(column: Int, row: Int) -> String {
        columnName(column) + String(row)
    }
}
