import Testing
@testable import IdentityService

@Suite("Password policy")
struct PasswordPolicyTests {
    static func violations(_ password: String, email: String? = "sam.teacher@school.example",
                           firstName: String? = "Samira", lastName: String? = "Okafor") -> [String] {
        PasswordPolicy.violations(password: password, email: email, firstName: firstName, lastName: lastName)
    }

    @Test func aLongUnguessablePasswordIsAccepted() {
        #expect(Self.violations("correct horse battery staple").isEmpty)
        #expect(Self.violations("Tide-Lantern-42-Quill").isEmpty)
        #expect(Self.violations("ünïcödé pässwörd ✓").isEmpty)
    }

    @Test func atLeastTenCharacters() {
        #expect(Self.violations("Zx8#kq2!m") == ["Use at least 10 characters."])
        #expect(Self.violations("Zx8#kq2!mP").isEmpty)
        // Characters, not bytes: ten accented letters are enough.
        #expect(Self.violations("éàüöñçøåßé").isEmpty)
        #expect(Self.violations("").contains("Use at least 10 characters."))
    }

    @Test func atMostSeventyTwoBytes() {
        let ascii72 = String(repeating: "ab", count: 36)
        #expect(Self.violations(ascii72).isEmpty)
        #expect(Self.violations(ascii72 + "c").count == 1)
        #expect(Self.violations(ascii72 + "c").first?.contains("72 bytes") == true)
        // 37 two-byte letters are 74 bytes although only 37 characters.
        #expect(Self.violations(String(repeating: "éá", count: 18) + "é").first?.contains("72 bytes") == true)
    }

    @Test func notTheEmailAddressOrItsLocalPart() {
        let message = "Don't include your email address or the part of it before the @."
        #expect(Self.violations("Sam.Teacher2024!") == [message])
        #expect(Self.violations("xx sam.teacher@school.example xx") == [message])
        // A username (no @) is treated as the local part.
        #expect(Self.violations("my-jsmith-password", email: "jsmith") == [message])
        // Local parts shorter than three characters are too common to refuse, but the whole address is still checked.
        #expect(Self.violations("a table for two", email: "ab@x.example").isEmpty)
        #expect(Self.violations("use ab@x.example now", email: "ab@x.example") == [message])
        #expect(Self.violations("anything goes here", email: nil).isEmpty)
    }

    @Test func notTheUsersNames() {
        #expect(Self.violations("samira-loves-tea") == ["Don't include your first name."])
        #expect(Self.violations("OKAFOR is my name") == ["Don't include your last name."])
        #expect(Self.violations("SamiraOkafor!!") == ["Don't include your first name.", "Don't include your last name."])
        // Accents do not hide a name.
        #expect(Self.violations("zoë is the best", firstName: "Zoe") == ["Don't include your first name."])
        // Each part of a compound name counts once it has three letters.
        #expect(Self.violations("ilovejanemost", firstName: "Mary-Jane") == ["Don't include your first name."])
        #expect(Self.violations("icebergs melting", lastName: "Van Der Berg") == ["Don't include your last name."])
        // ...but a short part ("Le") alone is not refused.
        #expect(Self.violations("alert the whole team", lastName: "Le Roux").isEmpty)
        // Names shorter than three letters are not checked.
        #expect(Self.violations("always on time", firstName: "Al", lastName: "Ng").isEmpty)
    }

    @Test func notACommonPassword() {
        let message = "This is one of the most commonly used passwords; choose something less predictable."
        #expect(Self.violations("qwertyuiop") == [message])
        #expect(Self.violations("Password123!") == [message])
        #expect(Self.violations("LIVERPOOL1892") == [message])
        #expect(Self.violations("Welcome2024?!") == [message])
        #expect(Self.violations("1234567890") == [message])
        #expect(Self.violations("password1234").contains(message))
        // Only trailing digits and punctuation are stripped; a common word inside a longer passphrase is fine.
        #expect(Self.violations("password manager idea").isEmpty)
    }

    @Test func theEmbeddedListIsLowerCasedAndLargeEnough() {
        #expect(CommonPasswords.lowercased.count >= 300)
        #expect(CommonPasswords.lowercased.allSatisfy { $0 == $0.lowercased() })
    }

    @Test func notOneCharacterRepeated() {
        #expect(Self.violations("zzzzzzzzzzzz") == ["Don't use a single character repeated."])
        #expect(Self.violations("zzzzzzzzzzzy").isEmpty)
    }

    @Test func everyProblemIsReportedAtOnce() {
        let problems = Self.violations("aaa")
        #expect(problems == ["Use at least 10 characters.", "Don't use a single character repeated."])
    }
}
