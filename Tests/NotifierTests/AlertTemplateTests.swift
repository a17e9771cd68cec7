import Contracts
import Foundation
@testable import NotifierService
import Testing

/// The words of the alert and reminder emails, without a broker or a mail server.
@Suite struct AlertTemplateTests {
    @Test func theConsecutiveAbsencesAlertReadsWell() {
        let content = EmailTemplates.standard.consecutiveAbsencesAlert(
            .example, firstName: "Gráinne", reason: "as a safeguarding lead at the learner's school",
            link: "https://learnbridge.example.org/attendance/placements/p1")
        #expect(content.subject == "Attendance alert: 3 absences in a row at Hillside Motor Skills")
        #expect(content.plainText == """
            Hello Gráinne,

            The learner with initials A N has been absent from their last 3 sessions in a row at Hillside Motor Skills (Motor Vehicle Level 1):

            - Monday 14 September 2026 at 09:15: unexplained absence
            - Tuesday 15 September 2026 at 09:15: unauthorised absence
            - Wednesday 16 September 2026 at 13:00: unexplained absence

            To see the learner's training record, sign in to Learnbridge and open:

            https://learnbridge.example.org/attendance/placements/p1

            You are receiving this as a safeguarding lead at the learner's school. The email gives the learner's initials only.

            Learnbridge

            """)
    }

    @Test func theLowAttendanceAlertReadsWellWithAndWithoutAbsences() {
        var alert = AttendanceEvents.LowAttendanceAlert.example
        alert.attendancePercent = 72.5
        alert.courseTitle = nil
        let content = EmailTemplates.standard.lowAttendanceAlert(alert, firstName: "Cora", reason: "as a coordinator",
                                                                 link: "https://x.example/p")
        #expect(content.subject == "Attendance alert: 72.5% over four weeks")
        #expect(content.plainText.contains("""
            at Hillside Motor Skills was 72.5% over the four weeks from Tuesday 1 September 2026 to Monday 28 September 2026 (6 of 8 sessions attended), below the threshold of 90%.

            The absences in those four weeks:

            - Monday 14 September 2026 at 09:15: unexplained absence
            - Monday 21 September 2026 at 09:15: authorised absence

            To see
            """))
        alert.absences = []
        let none = EmailTemplates.standard.lowAttendanceAlert(alert, firstName: "Cora", reason: "as a coordinator",
                                                              link: "https://x.example/p")
        #expect(none.plainText.contains("below the threshold of 90%.\n\nTo see"), "\(none.plainText)")
        #expect(!none.html.contains("<ul>"))
    }

    @Test func theOverdueRegisterReminderSaysWhyItCameToAnAdministrator() {
        let toTutor = EmailTemplates.standard.registerOverdue(.example, firstName: "Tia", toTutor: true, link: "https://x.example/r")
        #expect(toTutor.subject == "Register overdue: Motor Vehicle Level 1, Monday 14 September 2026 09:15")
        #expect(toTutor.plainText == """
            Hello Tia,

            The register for Motor Vehicle Level 1 on Monday 14 September 2026, 09:15 to 12:15, is not complete: 9 of 12 learners have a mark. Schools rely on it to know where their learners were. To complete it, open:

            https://x.example/r

            Learnbridge

            """)
        var tutoring = AttendanceEvents.RegisterOverdue.example
        tutoring.courseTitle = nil
        tutoring.subject = "Maths"
        let toAdmin = EmailTemplates.standard.registerOverdue(tutoring, firstName: "Ada", toTutor: false, link: "https://x.example/r")
        #expect(toAdmin.subject == "Register overdue: tutoring in Maths, Monday 14 September 2026 09:15")
        #expect(toAdmin.plainText.contains("https://x.example/r\n\nNo tutor who can receive email is named"))
        #expect(toAdmin.html.contains("No tutor who can receive email is named"))
    }

    @Test func valuesAreEscapedInHTMLButNotInPlainText() {
        var alert = AttendanceEvents.ConsecutiveAbsencesAlert.example
        alert.providerName = "<b>Smith & Sons</b>"
        let content = EmailTemplates.standard.consecutiveAbsencesAlert(alert, firstName: "O'Neill", reason: "as a coordinator",
                                                                       link: "https://x.example/p")
        #expect(content.html.contains("&lt;b&gt;Smith &amp; Sons&lt;/b&gt;"))
        #expect(!content.html.contains("<b>Smith"))
        #expect(content.plainText.contains("at <b>Smith & Sons</b> (Motor"))
        #expect(content.subject == "Attendance alert: 3 absences in a row at <b>Smith & Sons</b>")
    }

    @Test func datesMarksAndPercentagesAreInWords() {
        #expect(EmailTemplates.ukDate("2026-09-14") == "Monday 14 September 2026")
        #expect(EmailTemplates.ukDate("2027-03-28") == "Sunday 28 March 2027")  // the clocks change that night
        #expect(EmailTemplates.ukDate("not a date") == "not a date")
        #expect(EmailTemplates.markInWords("unexplained-absence") == "unexplained absence")
        #expect(EmailTemplates.markInWords("dismissed-behaviour") == "dismissed (behaviour)")
        #expect(EmailTemplates.percent(75) == "75%")
        #expect(EmailTemplates.percent(89.96) == "90%")
        #expect(EmailTemplates.percent(33.33) == "33.3%")
    }
}
