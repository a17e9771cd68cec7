import Contracts
import Foundation
import Mustache

/// What each email says, in plain text and HTML. The words live in `EmailTemplateText` as
/// Mustache templates (Swift constants, so no resource bundle has to ship with the binary).
/// HTML templates escape every value, so a name like `<b>O'Neill</b>` shows as typed and can
/// never add markup or links; plain-text templates switch escaping off.
public struct EmailTemplates: Sendable {
    /// The subject and both bodies of one email.
    public struct Content: Sendable, Equatable {
        public var subject: String
        public var plainText: String
        public var html: String
    }

    let library: MustacheLibrary

    /// The templates are constants, parsed once; a syntax error in them fails every test.
    public static let standard = EmailTemplates()

    private init() {
        var library = MustacheLibrary()
        do {
            for (name, text) in EmailTemplateText.all { try library.register(text, named: name) }
        } catch {
            preconditionFailure("an email template does not parse: \(error)")
        }
        self.library = library
    }

    /// The invitation to a new account: "Activate your Learnbridge account".
    public func activation(firstName: String, email: String, link: String, expiresAt: Date) -> Content {
        render("activation", subject: "Activate your Learnbridge account", values: [
            "firstName": firstName, "email": email, "link": link, "expiry": Self.ukDateTime(expiresAt),
        ])
    }

    /// The single-use link to choose a new password.
    public func passwordReset(firstName: String, email: String, link: String, expiresAt: Date) -> Content {
        render("password-reset", subject: "Reset your Learnbridge password", values: [
            "firstName": firstName, "email": email, "link": link, "expiry": Self.ukDateTime(expiresAt),
        ])
    }

    /// A value a `{{#section}}` shows only when present: Mustache counts "" as present.
    private static func optional(_ value: String?) -> Any { value.map { $0 as Any } ?? false }

    /// "3 absences in a row" to a safeguarding lead or the coordinator; the learner by initials only.
    public func consecutiveAbsencesAlert(_ alert: AttendanceEvents.ConsecutiveAbsencesAlert, firstName: String,
                                         reason: String, link: String) -> Content {
        render("consecutive-absences-alert",
               subject: "Attendance alert: \(alert.absences.count) absences in a row at \(alert.providerName)", values: [
                   "firstName": firstName, "initials": alert.learnerInitials, "count": "\(alert.absences.count)",
                   "providerName": alert.providerName, "courseTitle": Self.optional(alert.courseTitle),
                   "absences": Self.absences(alert.absences), "reason": reason, "link": link,
               ])
    }

    /// Attendance over four weeks below the threshold; the learner by initials only.
    public func lowAttendanceAlert(_ alert: AttendanceEvents.LowAttendanceAlert, firstName: String, reason: String,
                                   link: String) -> Content {
        let percent = Self.percent(alert.attendancePercent)
        return render("low-attendance-alert", subject: "Attendance alert: \(percent) over four weeks", values: [
            "firstName": firstName, "initials": alert.learnerInitials, "providerName": alert.providerName,
            "courseTitle": Self.optional(alert.courseTitle), "percent": percent, "threshold": Self.percent(alert.thresholdPercent),
            "windowStart": Self.ukDate(alert.windowStart), "windowEnd": Self.ukDate(alert.windowEnd),
            "attended": "\(alert.sessionsAttended)", "counted": "\(alert.sessionsCounted)",
            "hasAbsences": !alert.absences.isEmpty, "absences": Self.absences(alert.absences), "reason": reason, "link": link,
        ])
    }

    /// The reminder to take a register; `toTutor` is false when it goes to the provider's
    /// administrators and coordinators instead.
    public func registerOverdue(_ reminder: AttendanceEvents.RegisterOverdue, firstName: String, toTutor: Bool,
                                link: String) -> Content {
        let lesson = reminder.courseTitle ?? reminder.subject.map { "tutoring in \($0)" } ?? "the lesson"
        let date = Self.ukDate(reminder.date)
        return render("register-overdue", subject: "Register overdue: \(lesson), \(date) \(reminder.startTime)", values: [
            "firstName": firstName, "lesson": lesson, "date": date, "startTime": reminder.startTime,
            "endTime": reminder.endTime, "marked": "\(reminder.markedCount)", "learners": "\(reminder.learnerCount)",
            "toTutor": toTutor, "link": link,
        ])
    }

    /// "A new file is waiting" (or "3 new files"): who it is from and where to sign in, never what the files are.
    public func filesWaiting(firstName: String, count: Int, sender: String, link: String) -> Content {
        let files = count == 1 ? "A new file is" : "\(count) new files are"
        return render("files-waiting", subject: "\(files) waiting for you on Learnbridge", values: [
            "firstName": firstName, "files": files, "sender": sender, "one": count == 1, "link": link,
        ])
    }

    private func render(_ name: String, subject: String, values: [String: Any]) -> Content {
        var context = values
        context["subject"] = subject
        return Content(subject: subject,
                       plainText: library.render(context, withTemplate: "\(name).txt") ?? "",
                       html: library.render(context, withTemplate: "\(name).html") ?? "")
    }

    /// The absences of an alert as the templates list them: "Monday 14 September 2026", "09:15",
    /// "unexplained absence".
    static func absences(_ absences: [AttendanceEvents.AlertAbsence]) -> [[String: String]] {
        absences.map { ["date": ukDate($0.date), "time": $0.startTime, "mark": markInWords($0.mark)] }
    }

    /// A `yyyy-mm-dd` calendar date as "Monday 14 September 2026"; anything else as it came.
    static func ukDate(_ isoDate: String) -> String {
        guard let date = CalendarDate(isoDate) else { return isoDate }
        let (year, month, day) = date.components
        let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                      "November", "December"]
        return "\(weekdays[date.weekday - 1]) \(day) \(months[month - 1]) \(year)"
    }

    /// Attendance's mark codes in the words CLM users know them by.
    static func markInWords(_ mark: String) -> String {
        switch mark {
        case "dismissed-behaviour": "dismissed (behaviour)"
        case "dismissed-other": "dismissed (other)"
        default: mark.replacingOccurrences(of: "-", with: " ")
        }
    }

    /// 75 → "75%", 72.5 → "72.5%".
    static func percent(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded))%" : String(format: "%.1f%%", rounded)
    }

    /// Users read times on the school's clock: e.g. "Friday 18 September 2026 at 14:53",
    /// Europe/London (GMT or BST as the date falls).
    static func ukDateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = TimeZone(identifier: "Europe/London") ?? TimeZone(identifier: "UTC")!
        formatter.dateFormat = "EEEE d MMMM yyyy 'at' HH:mm"
        return formatter.string(from: date)
    }
}

/// The links in the emails point at the web interface behind the gateway.
enum EmailLinks {
    static func activation(baseURL: String, token: String) -> String {
        "\(baseURL)/activate?token=\(queryValue(token))"
    }

    static func passwordReset(baseURL: String, token: String) -> String {
        "\(baseURL)/reset-password?token=\(queryValue(token))"
    }

    /// The learner's training record at a placement.
    static func trainingRecord(baseURL: String, placementId: UUID) -> String {
        "\(baseURL)/attendance/placements/\(placementId.uuidString.lowercased())"
    }

    static func register(baseURL: String, lessonId: UUID) -> String {
        "\(baseURL)/attendance/lessons/\(lessonId.uuidString.lowercased())/register"
    }

    /// The files waiting to be downloaded.
    static func files(baseURL: String) -> String {
        "\(baseURL)/files"
    }

    /// Tokens are URL-safe already; anything else is percent-encoded, never trusted.
    private static func queryValue(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
    }
}
