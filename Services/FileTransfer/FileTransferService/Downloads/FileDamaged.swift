import ServiceKit

extension Problem {
    /// A stored file failed its integrity checks before anything was sent: the recipient gets an error, never
    /// altered bytes. A 500, since it is the service's storage at fault; the log and audit name the cause.
    static let fileDamaged = Problem(
        status: .internalServerError, slug: "file-damaged", title: "The file cannot be downloaded",
        detail: "The stored file failed its integrity check, so it was not sent. Ask the sender to send it again.")

    /// The file's retention ended and its bytes were purged.
    static let fileExpired = Problem(
        status: .gone, slug: "file-expired", title: "The file has expired",
        detail: "This file was deleted at the end of its retention period. Ask the sender to send it again if you still need it.")
}
