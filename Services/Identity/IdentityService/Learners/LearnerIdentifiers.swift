import Foundation

// The two national learner identifiers. Both carry a check character, so most typing mistakes are caught at import
// rather than surfacing later as a pupil matched to the wrong record. Only these pure rules live here.

/// A Unique Pupil Number (DfE): 13 characters, a check letter followed by 11 digits and a final digit —
/// or, in a temporary UPN, a final letter. Normalised to upper case with surrounding whitespace removed.
public struct UPN: Sendable, Hashable, CustomStringConvertible {
    /// The DfE check-letter alphabet: A–Z without I, O and S, which are too easily read as 1, 0 and 5.
    public static let checkLetters: [Character] = Array("ABCDEFGHJKLMNPQRTUVWXYZ")
    public static let length = 13

    /// The normalised 13 characters.
    public let value: String

    /// Temporary UPNs (issued until the permanent one is known) end in a letter.
    public var isTemporary: Bool {
        value.last.map { !$0.isASCIIDigit } ?? false
    }

    public var description: String { value }

    /// - Throws: `UPN.Problem` naming the first check that failed, in the order length, digits, last character, check letter.
    public init(_ raw: String) throws(UPN.Problem) {
        let characters = Array(raw.trimmingCharacters(in: .whitespacesAndNewlines).uppercased())
        guard characters.count == Self.length else { throw .wrongLength(found: characters.count) }
        for position in 2...12 where !characters[position - 1].isASCIIDigit {
            throw .notADigit(position: position, found: characters[position - 1])
        }
        let last = characters[12]
        guard last.isASCIIDigit || Self.checkLetters.contains(last) else { throw .invalidLastCharacter(found: last) }
        guard let expected = Self.checkLetter(for: characters[1...]) else { throw .invalidLastCharacter(found: last) }
        guard characters[0] == expected else { throw .wrongCheckLetter(expected: expected, found: characters[0]) }
        value = String(characters)
    }

    /// The check letter for characters 2–13: the sum of each character's value times its position (2–13), mod 23,
    /// as an index into `checkLetters`. Digits count as themselves; a final letter counts as its index in `checkLetters`.
    /// Returns nil unless given exactly 12 characters of that form.
    public static func checkLetter(for charactersTwoToThirteen: some Collection<Character>) -> Character? {
        guard charactersTwoToThirteen.count == 12 else { return nil }
        var sum = 0
        for (offset, character) in charactersTwoToThirteen.enumerated() {
            let position = offset + 2
            let value: Int
            if let digit = character.asciiDigitValue {
                value = digit
            } else if position == 13, let index = checkLetters.firstIndex(of: character) {
                value = index
            } else {
                return nil
            }
            sum += value * position
        }
        return checkLetters[sum % 23]
    }

    /// The first check a UPN failed, with the details needed to correct it.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case wrongLength(found: Int)
        /// Characters 2 to 12 must all be digits.
        case notADigit(position: Int, found: Character)
        /// Character 13 must be a digit, or a check-alphabet letter in a temporary UPN.
        case invalidLastCharacter(found: Character)
        case wrongCheckLetter(expected: Character, found: Character)

        public var description: String {
            switch self {
            case let .wrongLength(found):
                "A UPN has 13 characters, but this has \(found)."
            case let .notADigit(position, found):
                "Character \(position) of a UPN must be a digit, but it is \"\(found)\"."
            case let .invalidLastCharacter(found):
                "Character 13 of a UPN must be a digit, or for a temporary UPN a letter other than I, O or S, "
                    + "but it is \"\(found)\"."
            case let .wrongCheckLetter(expected, found):
                "The check letter (character 1) should be \(expected) but is \"\(found)\": "
                    + "the UPN has probably been mistyped."
            }
        }
    }
}

/// A Unique Learner Number (Learning Records Service): 10 digits, not starting with 0, whose last digit is a check digit.
public struct ULN: Sendable, Hashable, CustomStringConvertible {
    public static let length = 10

    /// The normalised 10 digits.
    public let value: String

    public var description: String { value }

    /// - Throws: `ULN.Problem` naming the first check that failed, in the order length, digits, leading zero, check digit.
    public init(_ raw: String) throws(ULN.Problem) {
        let characters = Array(raw.trimmingCharacters(in: .whitespacesAndNewlines))
        guard characters.count == Self.length else { throw .wrongLength(found: characters.count) }
        var digits: [Int] = []
        for (offset, character) in characters.enumerated() {
            guard let digit = character.asciiDigitValue else { throw .notADigit(position: offset + 1, found: character) }
            digits.append(digit)
        }
        guard digits[0] != 0 else { throw .leadingZero }
        guard Self.weightedSum(digits) % 11 == 10 else {
            throw .wrongCheckDigit(expected: Self.checkDigit(forFirstNine: digits.prefix(9)), found: digits[9])
        }
        value = String(characters)
    }

    /// The last digit that makes these nine digits a valid ULN, or nil when no digit can (the sum would need a 10).
    /// Valid ULNs have Σ digit × weight (weights 10 down to 1) ≡ 10 (mod 11).
    public static func checkDigit(forFirstNine digits: some Collection<Int>) -> Int? {
        guard digits.count == 9 else { return nil }
        let digit = (10 - weightedSum(Array(digits)) % 11 + 11) % 11
        return digit < 10 ? digit : nil
    }

    private static func weightedSum(_ digits: [Int]) -> Int {
        digits.enumerated().reduce(0) { sum, element in sum + element.element * (10 - element.offset) }
    }

    /// The first check a ULN failed.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case wrongLength(found: Int)
        case notADigit(position: Int, found: Character)
        case leadingZero
        /// `expected` is nil when no final digit could make the first nine digits valid.
        case wrongCheckDigit(expected: Int?, found: Int)

        public var description: String {
            switch self {
            case let .wrongLength(found):
                "A ULN has 10 digits, but this has \(found) characters."
            case let .notADigit(position, found):
                "Character \(position) of a ULN must be a digit, but it is \"\(found)\"."
            case .leadingZero:
                "A ULN cannot start with 0."
            case let .wrongCheckDigit(expected?, found):
                "The check digit (the last digit) should be \(expected) but is \(found): the ULN has probably been mistyped."
            case .wrongCheckDigit(nil, _):
                "The check digit (the last digit) does not match, and no ULN starts with these nine digits: "
                    + "the ULN has probably been mistyped."
            }
        }
    }
}

private extension Character {
    /// Only 0–9: `isNumber` would also accept other scripts' digits and fractions.
    var asciiDigitValue: Int? {
        guard let ascii = asciiValue, (48...57).contains(ascii) else { return nil }
        return Int(ascii - 48)
    }

    var isASCIIDigit: Bool { asciiDigitValue != nil }
}
