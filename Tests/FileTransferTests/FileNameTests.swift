import Foundation
@testable import FileTransferService
import Testing

@Suite("File names are sanitised and kept for display")
struct FileNameTests {
    static func name(_ original: String) -> String { FileName(sanitising: original).value }

    @Test func pathsLeaveOnlyTheLastPart() {
        #expect(Self.name("../../etc/passwd") == "passwd")
        #expect(Self.name("C:\\Users\\x\\report.pdf") == "report.pdf")
        #expect(Self.name("/var/lib/learnbridge/files/plan.docx") == "plan.docx")
        #expect(Self.name("..\\..\\windows\\system32\\cmd.exe") == "cmd.exe")
        #expect(Self.name("folder/sub/") == "sub")
        #expect(Self.name("a/b\\c/d.txt") == "d.txt")
        #expect(Self.name("../") == FileName.fallback)
        #expect(Self.name("..") == FileName.fallback)
        #expect(Self.name(".") == FileName.fallback)
    }

    @Test func lookAlikeSlashesAndWindowsCharactersAreReplaced() {
        #expect(Self.name("..\u{FF0F}..\u{FF0F}etc\u{FF0F}passwd") == "file._._etc_passwd")
        #expect(Self.name("Meeting 10:30 <draft>?.docx") == "Meeting 10_30 _draft__.docx")
        #expect(Self.name("C:report.pdf") == "C_report.pdf")
        #expect(Self.name("\"quoted\" | piped*.txt") == "_quoted_ _ piped_.txt")
    }

    @Test func controlAndInvisibleCharactersAreRemoved() {
        #expect(Self.name("risk\u{0}assess\u{7}ment\n.pdf") == "riskassessment.pdf")
        #expect(Self.name("tab\there\r.csv") == "tabhere.csv")
        #expect(Self.name("bell\u{1B}[31m.txt") == "bell[31m.txt")
        #expect(Self.name("C1\u{85}\u{9B}control.txt") == "C1control.txt")
        // A right-to-left override makes "invoice\u{202E}fdp.exe" display as "invoiceexe.pdf".
        #expect(Self.name("invoice\u{202E}fdp.exe") == "invoicefdp.exe")
        #expect(Self.name("zero\u{200B}width\u{FEFF}.txt") == "zerowidth.txt")
        #expect(Self.name("line\u{2028}para\u{2029}.txt") == "linepara.txt")
        #expect(Self.name("no\u{00A0}break.txt") == "no break.txt")
    }

    @Test func emptyOrUnusableNamesBecomeFile() {
        #expect(Self.name("") == "file")
        #expect(Self.name("   ") == "file")
        #expect(Self.name("\u{0}\u{1}\u{2}") == "file")
        #expect(Self.name("...") == "file")
        #expect(Self.name(" . . ") == "file")
    }

    @Test func dotsNeverFormDotDotNorHideTheFile() {
        #expect(Self.name("report..pdf") == "report.pdf")
        #expect(Self.name("a....b") == "a.b")
        #expect(Self.name(".htaccess") == "file.htaccess")
        #expect(Self.name(".pdf") == "file.pdf")
        #expect(Self.name("report.pdf.") == "report.pdf")
        #expect(Self.name("  spaced name.pdf  ") == "spaced name.pdf")
        for original in ["../../etc/passwd", "..\u{0}..", "a/..b/..c", "x.. .. ..y"] {
            #expect(!Self.name(original).contains(".."), "\(original)")
        }
    }

    @Test func windowsDeviceNamesArePrefixed() {
        #expect(Self.name("CON.txt") == "_CON.txt")
        #expect(Self.name("nul") == "_nul")
        #expect(Self.name("com1.docx") == "_com1.docx")
        #expect(Self.name("CONSOLE.txt") == "CONSOLE.txt")
    }

    @Test func namesInAnyScriptAreKept() {
        #expect(Self.name("Élève – plan d’accompagnement (v2).pdf") == "Élève – plan d’accompagnement (v2).pdf")
        #expect(Self.name("ملف الطالب.docx") == "ملف الطالب.docx")
        #expect(Self.name("学生报告 😀.xlsx") == "学生报告 😀.xlsx")
        // Decomposed accents (as macOS sends them) become composed, so lengths and comparisons are stable.
        #expect(Self.name("E\u{301}le\u{300}ve.pdf") == "Élève.pdf")
    }

    @Test func veryLongNamesKeepTheirExtensionWithin255Bytes() {
        let ascii = Self.name(String(repeating: "a", count: 300) + ".pdf")
        #expect(ascii.utf8.count == 255)
        #expect(ascii.hasSuffix(".pdf"))
        #expect(ascii == String(repeating: "a", count: 251) + ".pdf")

        // Two-byte letters are cut whole: 250 bytes of "é" (125) plus ".docx" is 255.
        let accented = Self.name(String(repeating: "é", count: 200) + ".docx")
        #expect(accented == String(repeating: "é", count: 125) + ".docx")

        // Four-byte emoji: 62 × 4 = 248 bytes, plus ".xlsx" = 253; a 63rd would not fit.
        let emoji = Self.name(String(repeating: "😀", count: 100) + ".xlsx")
        #expect(emoji == String(repeating: "😀", count: 62) + ".xlsx")

        let noExtension = Self.name(String(repeating: "b", count: 400))
        #expect(noExtension == String(repeating: "b", count: 255))

        // Something after the last dot that is not an extension is shortened like the rest of the name.
        let sentence = Self.name(String(repeating: "c", count: 100) + ". " + String(repeating: "d", count: 300))
        #expect(sentence.utf8.count == 255)
        #expect(sentence.hasPrefix(String(repeating: "c", count: 100) + ". d"))
    }

    @Test func sanitisingTwiceChangesNothing() {
        let originals = ["../../etc/passwd", "C:\\Users\\x\\report.pdf", ".pdf", "CON.txt", "a....b", "",
                         String(repeating: "é", count: 200) + ".docx", "Meeting 10:30?.docx", "invoice\u{202E}fdp.exe",
                         String(repeating: "x", count: 254) + " .pdf"]
        for original in originals {
            let once = Self.name(original)
            #expect(Self.name(once) == once, "\(original)")
            #expect(once.utf8.count <= 255)
        }
    }

    @Test func theExtensionIsAHintInLowerCase() {
        #expect(FileName(sanitising: "Report.PDF").fileExtension == "pdf")
        #expect(FileName(sanitising: "archive.tar.gz").fileExtension == "gz")
        #expect(FileName(sanitising: "README").fileExtension == nil)
        #expect(FileName(sanitising: ".docx").fileExtension == "docx")
        #expect(FileName(sanitising: "notes.final draft").fileExtension == nil)
    }

    @Test func decodingSanitisesAgain() throws {
        let decoded = try JSONDecoder().decode([FileName].self, from: Data(#"["../../etc/passwd","ok.pdf"]"#.utf8))
        #expect(decoded.map(\.value) == ["passwd", "ok.pdf"])
        #expect(String(decoding: try JSONEncoder().encode(decoded[1]), as: UTF8.self) == #""ok.pdf""#)
    }

    @Test func downloadsAreAttachmentsWithAnAsciiAndAUTF8Name() {
        let name = FileName(sanitising: "Élève plan (v2).pdf")
        #expect(name.asciiFallback == "_l_ve plan (v2).pdf")
        #expect(name.attachmentDisposition
            == "attachment; filename=\"_l_ve plan (v2).pdf\"; filename*=UTF-8''%C3%89l%C3%A8ve%20plan%20%28v2%29.pdf")
        #expect(FileName(sanitising: "a;b=c.txt").attachmentDisposition
            == "attachment; filename=\"a;b=c.txt\"; filename*=UTF-8''a%3Bb%3Dc.txt")
    }
}
