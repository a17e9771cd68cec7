/// The words of the emails, as Mustache templates. `{{value}}` is HTML-escaped in the HTML
/// templates; the plain-text ones start with `{{% CONTENT_TYPE: TEXT }}` so nothing is escaped.
/// HTML emails use inline styles only: most mail clients ignore style sheets.
enum EmailTemplateText {
    static let all: [(name: String, text: String)] = [
        ("layout", layout),
        ("activation.txt", activationText),
        ("activation.html", activationHTML),
        ("password-reset.txt", passwordResetText),
        ("password-reset.html", passwordResetHTML),
        ("absence-list-text", absenceListText),
        ("absence-list-html", absenceListHTML),
        ("training-record-footer-text", trainingRecordFooterText),
        ("training-record-footer-html", trainingRecordFooterHTML),
        ("consecutive-absences-alert.txt", consecutiveAbsencesAlertText),
        ("consecutive-absences-alert.html", consecutiveAbsencesAlertHTML),
        ("low-attendance-alert.txt", lowAttendanceAlertText),
        ("low-attendance-alert.html", lowAttendanceAlertHTML),
        ("register-overdue.txt", registerOverdueText),
        ("register-overdue.html", registerOverdueHTML),
        ("files-waiting.txt", filesWaitingText),
        ("files-waiting.html", filesWaitingHTML),
    ]

    static let layout = """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{subject}}</title>
        </head>
        <body style="margin:0;padding:24px;background:#f5f7fa;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f2933;">
        <div style="max-width:560px;margin:0 auto;background:#ffffff;padding:24px;border-radius:6px;">
        {{$content}}{{/content}}
        <p style="margin-top:32px;font-size:13px;color:#616e7c;">Learnbridge</p>
        </div>
        </body>
        </html>

        """

    static let button = "display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;"

    static let activationText = """
        {{% CONTENT_TYPE: TEXT }}
        Hello {{firstName}},

        A Learnbridge account has been created for you ({{email}}). To activate it and choose your password, open this link:

        {{link}}

        The link works once and expires on {{expiry}} (UK time). If it has expired, ask your Learnbridge administrator to invite you again.

        If you were not expecting this email, you can ignore it: nothing happens until the link is used.

        Learnbridge

        """

    static let activationHTML = """
        {{<layout}}
        {{$content}}
        <p>Hello {{firstName}},</p>
        <p>A Learnbridge account has been created for you ({{email}}). To activate it and choose your password, use the button below.</p>
        <p><a href="{{link}}" style="\(button)">Activate your account</a></p>
        <p>If the button does not work, copy this link into your browser:<br><a href="{{link}}">{{link}}</a></p>
        <p>The link works once and expires on {{expiry}} (UK time). If it has expired, ask your Learnbridge administrator to invite you again.</p>
        <p>If you were not expecting this email, you can ignore it: nothing happens until the link is used.</p>
        {{/content}}
        {{/layout}}
        """

    static let passwordResetText = """
        {{% CONTENT_TYPE: TEXT }}
        Hello {{firstName}},

        Someone asked to reset the password of your Learnbridge account ({{email}}). To choose a new password, open this link:

        {{link}}

        The link works once and expires on {{expiry}} (UK time).

        If you did not ask for this, you can ignore this email: your password has not changed.

        Learnbridge

        """

    static let passwordResetHTML = """
        {{<layout}}
        {{$content}}
        <p>Hello {{firstName}},</p>
        <p>Someone asked to reset the password of your Learnbridge account ({{email}}). To choose a new password, use the button below.</p>
        <p><a href="{{link}}" style="\(button)">Choose a new password</a></p>
        <p>If the button does not work, copy this link into your browser:<br><a href="{{link}}">{{link}}</a></p>
        <p>The link works once and expires on {{expiry}} (UK time).</p>
        <p>If you did not ask for this, you can ignore this email: your password has not changed.</p>
        {{/content}}
        {{/layout}}
        """

    // Alerts name the learner by initials only: an email can be forwarded or misaddressed,
    // and the training record behind the sign-in has the rest.

    // Parts the two attendance alerts share.

    static let absenceListText = """
        {{% CONTENT_TYPE: TEXT }}
        {{#absences}}
        - {{date}} at {{time}}: {{mark}}
        {{/absences}}
        """

    static let absenceListHTML = """
        <ul>
        {{#absences}}
        <li>{{date}} at {{time}}: {{mark}}</li>
        {{/absences}}
        </ul>
        """

    static let trainingRecordFooterText = """
        {{% CONTENT_TYPE: TEXT }}
        To see the learner's training record, sign in to Learnbridge and open:

        {{link}}

        You are receiving this {{reason}}. The email gives the learner's initials only.

        Learnbridge

        """

    static let trainingRecordFooterHTML = """
        <p><a href="{{link}}" style="\(button)">Open the training record</a></p>
        <p>If the button does not work, copy this link into your browser:<br><a href="{{link}}">{{link}}</a></p>
        <p style="font-size:14px;color:#52606d;">You are receiving this {{reason}}. The email gives the learner's initials only.</p>
        """

    static let consecutiveAbsencesAlertText = """
        {{% CONTENT_TYPE: TEXT }}
        Hello {{firstName}},

        The learner with initials {{initials}} has been absent from their last {{count}} sessions in a row at {{providerName}}{{#courseTitle}} ({{courseTitle}}){{/courseTitle}}:

        {{>absence-list-text}}

        {{>training-record-footer-text}}
        """

    static let consecutiveAbsencesAlertHTML = """
        {{<layout}}
        {{$content}}
        <p>Hello {{firstName}},</p>
        <p>The learner with initials <strong>{{initials}}</strong> has been absent from their last {{count}} sessions in a row at {{providerName}}{{#courseTitle}} ({{courseTitle}}){{/courseTitle}}:</p>
        {{>absence-list-html}}
        {{>training-record-footer-html}}
        {{/content}}
        {{/layout}}
        """

    static let lowAttendanceAlertText = """
        {{% CONTENT_TYPE: TEXT }}
        Hello {{firstName}},

        The attendance of the learner with initials {{initials}} at {{providerName}}{{#courseTitle}} ({{courseTitle}}){{/courseTitle}} was {{percent}} over the four weeks from {{windowStart}} to {{windowEnd}} ({{attended}} of {{counted}} sessions attended), below the threshold of {{threshold}}.
        {{#hasAbsences}}

        The absences in those four weeks:

        {{>absence-list-text}}
        {{/hasAbsences}}

        {{>training-record-footer-text}}
        """

    static let lowAttendanceAlertHTML = """
        {{<layout}}
        {{$content}}
        <p>Hello {{firstName}},</p>
        <p>The attendance of the learner with initials <strong>{{initials}}</strong> at {{providerName}}{{#courseTitle}} ({{courseTitle}}){{/courseTitle}} was <strong>{{percent}}</strong> over the four weeks from {{windowStart}} to {{windowEnd}} ({{attended}} of {{counted}} sessions attended), below the threshold of {{threshold}}.</p>
        {{#hasAbsences}}
        <p>The absences in those four weeks:</p>
        {{>absence-list-html}}
        {{/hasAbsences}}
        {{>training-record-footer-html}}
        {{/content}}
        {{/layout}}
        """

    static let registerOverdueText = """
        {{% CONTENT_TYPE: TEXT }}
        Hello {{firstName}},

        The register for {{lesson}} on {{date}}, {{startTime}} to {{endTime}}, is not complete: {{marked}} of {{learners}} learners have a mark. Schools rely on it to know where their learners were. To complete it, open:

        {{link}}
        {{^toTutor}}

        No tutor who can receive email is named for this lesson, so this reminder goes to your organisation's administrators and coordinators.
        {{/toTutor}}

        Learnbridge

        """

    static let registerOverdueHTML = """
        {{<layout}}
        {{$content}}
        <p>Hello {{firstName}},</p>
        <p>The register for {{lesson}} on {{date}}, {{startTime}} to {{endTime}}, is not complete: {{marked}} of {{learners}} learners have a mark. Schools rely on it to know where their learners were.</p>
        <p><a href="{{link}}" style="\(button)">Complete the register</a></p>
        <p>If the button does not work, copy this link into your browser:<br><a href="{{link}}">{{link}}</a></p>
        {{^toTutor}}
        <p>No tutor who can receive email is named for this lesson, so this reminder goes to your organisation's administrators and coordinators.</p>
        {{/toTutor}}
        {{/content}}
        {{/layout}}
        """

    // Neither the files nor their names or descriptions: the email may be read anywhere, the files only
    // after signing in.
    static let filesWaitingText = """
        {{% CONTENT_TYPE: TEXT }}
        Hello {{firstName}},

        {{files}} waiting for you on Learnbridge, sent by {{sender}}. To see {{#one}}it{{/one}}{{^one}}them{{/one}} and download {{#one}}it{{/one}}{{^one}}them{{/one}}, sign in and open:

        {{link}}

        For the safety of the people they concern, files are never sent by email and this email does not say what they are.

        Learnbridge

        """

    static let filesWaitingHTML = """
        {{<layout}}
        {{$content}}
        <p>Hello {{firstName}},</p>
        <p>{{files}} waiting for you on Learnbridge, sent by {{sender}}. To see {{#one}}it{{/one}}{{^one}}them{{/one}} and download {{#one}}it{{/one}}{{^one}}them{{/one}}, sign in and open your files.</p>
        <p><a href="{{link}}" style="\(button)">Open your files</a></p>
        <p>If the button does not work, copy this link into your browser:<br><a href="{{link}}">{{link}}</a></p>
        <p style="font-size:14px;color:#52606d;">For the safety of the people they concern, files are never sent by email and this email does not say what they are.</p>
        {{/content}}
        {{/layout}}
        """
}
