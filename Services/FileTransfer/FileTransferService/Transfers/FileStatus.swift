/// Where a file is in its life: uploaded but not confirmed, available to its recipients, or purged.
enum FileStatus: String, Codable, Sendable {
    case draft, sent, expired
}
