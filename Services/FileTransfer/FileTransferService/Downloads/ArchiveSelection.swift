import Foundation

/// The body of `POST /files/archive`: the files ticked on the downloads page.
struct ArchiveSelection: Codable, Sendable {
    var fileIds: [UUID]
}
