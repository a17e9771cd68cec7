import Testing
@testable import IdentityService

/// The check algorithms are re-implemented here from the published descriptions, independently of the production
/// code, so a mistake in one is not silently mirrored in the other.
@Suite("Learner identifiers")
struct LearnerIdentifierTests {
    // MARK: Independent reference implementations

    static let alphabet = Array("ABCDEFGHJKLMNPQRTUVWXYZ")

    /// DfE: weights 2…13 on characters 2…13; a final letter is worth its index in the check alphabet.
    static func referenceCheckLetter(_ tail: String) -> Character {
        let characters = Array(tail)
        precondition(characters.count == 12)
        var total = 0
        for index in 0..<12 {
            let weight = index + 2
            let value = characters[index].wholeNumberValue ?? alphabet.firstIndex(of: characters[index])!
            total += weight * value
        }
        return alphabet[total % 23]
    }

    /// LRS: weights 10…1, the weighted sum is 10 mod 11.
    static func referenceIsValidULN(_ text: String) -> Bool {
        let digits = text.compactMap(\.wholeNumberValue)
        guard digits.count == 10, text.count == 10, digits[0] != 0 else { return false }
        return zip(digits, stride(from: 10, through: 1, by: -1)).map(*).reduce(0, +) % 11 == 10
    }

    // MARK: UPN

    /// Worked by hand for H801200001001: characters 2–13 are 8 0 1 2 0 0 0 0 1 0 0 1 with weights 2–13:
    /// 8×2 + 1×4 + 2×5 + 1×10 + 1×13 = 16 + 4 + 10 + 10 + 13 = 53; 53 mod 23 = 7; index 7 of ABCDEFGH… is H.
    @Test func aHandCheckedPermanentUPN() throws {
        let upn = try UPN("H801200001001")
        #expect(upn.value == "H801200001001")
        #expect(!upn.isTemporary)
        #expect(Self.referenceCheckLetter("801200001001") == "H")
    }

    /// Worked by hand for X80120000100C: 8×2 + 1×4 + 2×5 + 1×10 = 40 for characters 2–12, and the final C is
    /// index 2 of the check alphabet, so 2×13 = 26; 66 mod 23 = 20; index 20 (skipping I, O, S) is X.
    @Test func aHandCheckedTemporaryUPN() throws {
        let upn = try UPN("X80120000100C")
        #expect(upn.isTemporary)
        #expect(Self.referenceCheckLetter("80120000100C") == "X")
    }

    @Test func normalisesCaseAndSurroundingSpace() throws {
        #expect(try UPN("  h801200001001\n").value == "H801200001001")
        #expect(try UPN("x80120000100c").value == "X80120000100C")
    }

    @Test func agreesWithTheReferenceOnGeneratedUPNs() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let middle = String((0..<11).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            let last: Character = Bool.random(using: &generator)
                ? Character(String(Int.random(in: 0...9, using: &generator)))
                : Self.alphabet.randomElement(using: &generator)!
            let tail = middle + String(last)
            let letter = Self.referenceCheckLetter(tail)
            #expect(UPN.checkLetter(for: Array(tail)) == letter)
            let upn = try UPN(String(letter) + tail)
            #expect(upn.isTemporary == last.isLetter)
            // Every other first letter must be refused.
            let wrong = Self.alphabet.first { $0 != letter }!
            #expect(throws: UPN.Problem.wrongCheckLetter(expected: letter, found: wrong)) { try UPN(String(wrong) + tail) }
        }
    }

    @Test func wrongLength() {
        #expect(throws: UPN.Problem.wrongLength(found: 12)) { try UPN("H80120000100") }
        #expect(throws: UPN.Problem.wrongLength(found: 14)) { try UPN("H8012000010011") }
        #expect(throws: UPN.Problem.wrongLength(found: 0)) { try UPN("   ") }
        #expect(UPN.Problem.wrongLength(found: 12).description == "A UPN has 13 characters, but this has 12.")
    }

    @Test func aCharacterThatShouldBeADigit() {
        #expect(throws: UPN.Problem.notADigit(position: 2, found: "A")) { try UPN("HA01200001001") }
        #expect(throws: UPN.Problem.notADigit(position: 7, found: "O")) { try UPN("H80120O001001") }
        #expect(throws: UPN.Problem.notADigit(position: 12, found: "٣")) { try UPN("H8012000010٣1") } // Arabic-Indic 3
        #expect(UPN.Problem.notADigit(position: 7, found: "O").description.contains("Character 7"))
    }

    @Test func theLastCharacterMustBeADigitOrAnAllowedLetter() {
        for letter in ["I", "O", "S", "-"] {
            #expect(throws: UPN.Problem.invalidLastCharacter(found: Character(letter))) { try UPN("H80120000100" + letter) }
        }
    }

    @Test func theCheckLetterMustMatch() {
        #expect(throws: UPN.Problem.wrongCheckLetter(expected: "H", found: "J")) { try UPN("J801200001001") }
        #expect(throws: UPN.Problem.wrongCheckLetter(expected: "H", found: "8")) { try UPN("8801200001001") }
        // A single mistyped digit changes the expected letter.
        #expect(throws: UPN.Problem.self) { try UPN("H801200001002") }
        #expect(UPN.Problem.wrongCheckLetter(expected: "H", found: "J").description.contains("should be H but is \"J\""))
    }

    // MARK: ULN

    /// Worked by hand for 1234567899: 1×10 + 2×9 + 3×8 + 4×7 + 5×6 + 6×5 + 7×4 + 8×3 + 9×2 + 9×1
    /// = 10 + 18 + 24 + 28 + 30 + 30 + 28 + 24 + 18 + 9 = 219, and 219 = 19×11 + 10, so it is valid.
    @Test func aHandCheckedULN() throws {
        #expect(try ULN("1234567899").value == "1234567899")
        #expect(try ULN(" 1234567899 ").value == "1234567899")
        #expect(Self.referenceIsValidULN("1234567899"))
        #expect(ULN.checkDigit(forFirstNine: [1, 2, 3, 4, 5, 6, 7, 8, 9]) == 9)
    }

    @Test func agreesWithTheReferenceOnGeneratedULNs() throws {
        var generator = SystemRandomNumberGenerator()
        var validSeen = 0
        for _ in 0..<2_000 {
            let text = String(Int.random(in: 1_000_000_000...9_999_999_999, using: &generator))
            let accepted = (try? ULN(text)) != nil
            #expect(accepted == Self.referenceIsValidULN(text), "\(text)")
            if accepted { validSeen += 1 }
        }
        // Roughly one number in eleven is valid; make sure the valid branch was exercised.
        #expect(validSeen > 50)
    }

    @Test func ulnErrors() {
        #expect(throws: ULN.Problem.wrongLength(found: 9)) { try ULN("123456789") }
        #expect(throws: ULN.Problem.wrongLength(found: 11)) { try ULN("12345678999") }
        #expect(throws: ULN.Problem.notADigit(position: 5, found: "X")) { try ULN("1234X67899") }
        #expect(throws: ULN.Problem.leadingZero) { try ULN("0234567899") }
        #expect(throws: ULN.Problem.wrongCheckDigit(expected: 9, found: 0)) { try ULN("1234567890") }
        // 9×(10+…+2) = 486 ≡ 2 (mod 11), so the last digit would need to be 8.
        #expect(throws: ULN.Problem.wrongCheckDigit(expected: 8, found: 9)) { try ULN("9999999999") }
        #expect(ULN.Problem.leadingZero.description == "A ULN cannot start with 0.")
        #expect(ULN.Problem.wrongCheckDigit(expected: 9, found: 0).description.contains("should be 9 but is 0"))
    }

    /// When the first nine digits' weighted sum is 0 mod 11, the check digit would have to be 10, so no ULN starts
    /// with them; the error then cannot suggest a digit.
    @Test func firstNineDigitsThatNoCheckDigitCanComplete() throws {
        let firstNine = try #require(Self.firstNineDigitsWithoutCheckDigit())
        #expect(ULN.checkDigit(forFirstNine: firstNine) == nil)
        let text = firstNine.map(String.init).joined() + "0"
        #expect(!Self.referenceIsValidULN(text))
        #expect(throws: ULN.Problem.wrongCheckDigit(expected: nil, found: 0)) { try ULN(text) }
    }

    /// The smallest nine-digit start whose weighted sum (weights 10…2) is a multiple of 11.
    static func firstNineDigitsWithoutCheckDigit() -> [Int]? {
        for candidate in 100_000_000...100_000_500 {
            let digits = String(candidate).compactMap(\.wholeNumberValue)
            var sum = 0
            for (offset, digit) in digits.enumerated() { sum += digit * (10 - offset) }
            if sum % 11 == 0 { return digits }
        }
        return nil
    }
}
