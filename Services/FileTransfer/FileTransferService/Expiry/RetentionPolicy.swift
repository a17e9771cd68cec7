import Foundation

/// How long a sent file is kept: a set time after its first download, or a longer time after sending if nobody
/// downloads it. Then its stored bytes are purged and the listings show it as expired.
public struct RetentionPolicy: Sendable, Equatable {
    public var afterDownloadDays = 30
    public var undownloadedDays = 90
    /// Drafts never confirmed are purged after this long: an upload abandoned in the browser.
    public var abandonedDraft: TimeInterval = 24 * 3600

    public init(afterDownloadDays: Int = 30, undownloadedDays: Int = 90) {
        self.afterDownloadDays = afterDownloadDays
        self.undownloadedDays = undownloadedDays
    }

    public func expiry(sentAt: Date) -> Date {
        sentAt.addingTimeInterval(TimeInterval(undownloadedDays) * 86_400)
    }

    public func expiry(firstDownloadedAt: Date) -> Date {
        firstDownloadedAt.addingTimeInterval(TimeInterval(afterDownloadDays) * 86_400)
    }
}
