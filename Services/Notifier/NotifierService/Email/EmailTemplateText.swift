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
}
