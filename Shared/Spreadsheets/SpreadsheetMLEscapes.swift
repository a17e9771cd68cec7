/// SpreadsheetML's own escape for characters XML cannot hold: `_x000D_` is a CR, and `_x005F_` a literal `_`
/// (so text that itself looks like `_x0041_` survives). Excel writes these for line breaks pasted from Windows.
enum SpreadsheetMLEscapes {
    static func unescape(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if let scalar = escapedScalar(in: scalars, at: index) {
                output.append(scalar)
                index += 7
            } else {
                output.append(scalars[index])
                index += 1
            }
        }
        return String(output)
    }

    /// Protects text that happens to contain `_xHHHH_` so readers do not turn it into a character.
    static func escape(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if scalar == "_", escapedScalar(in: scalars, at: index) != nil {
                output.append(contentsOf: "_x005F_".unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    /// The character encoded by `_xHHHH_` starting at `index`, if that is what is there.
    private static func escapedScalar(in scalars: [Unicode.Scalar], at index: Int) -> Unicode.Scalar? {
        guard index + 7 <= scalars.count, scalars[index] == "_", scalars[index + 1] == "x", scalars[index + 6] == "_" else {
            return nil
        }
        var value: UInt32 = 0
        for scalar in scalars[(index + 2)..<(index + 6)] {
            guard let digit = hexDigitValue(scalar) else { return nil }
            value = value * 16 + digit
        }
        return Unicode.Scalar(value)
    }

    private static func hexDigitValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": scalar.value - 48
        case "a"..."f": scalar.value - 87
        case "A"..."F": scalar.value - 55
        default: nil
        }
    }
}
