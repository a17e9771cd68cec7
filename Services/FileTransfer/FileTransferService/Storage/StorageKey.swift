import Foundation

/// Where a stored object lives: `/`-separated segments of letters, digits, `.`, `_` and `-`, each starting with a
/// letter or digit. So a key can never climb out of the storage root (no `..`, no leading `/`, no backslashes),
/// never names a hidden or temporary file (those start with `.`), and is a valid S3 object key as it is.
/// Keys come from ids, never from file names.
public struct StorageKey: Sendable, Hashable, CustomStringConvertible {
    public static let maximumLength = 512
    public static let maximumSegmentLength = 128

    public let value: String
    public var segments: [Substring] { value.split(separator: "/") }
    public var description: String { value }

    public init(_ value: String) throws(StorageKeyError) {
        guard !value.isEmpty, value.utf8.count <= Self.maximumLength else { throw StorageKeyError(key: value) }
        let segments = value.split(separator: "/", omittingEmptySubsequences: false)
        for segment in segments {
            guard let first = segment.unicodeScalars.first, Self.isAlphanumeric(first),
                  segment.utf8.count <= Self.maximumSegmentLength,
                  segment.unicodeScalars.allSatisfy({ Self.isAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" })
            else { throw StorageKeyError(key: value) }
        }
        self.value = value
    }

    /// The key of an uploaded file's encrypted bytes: `files/<first two hex digits>/<id>`, so no directory of a
    /// file-system store holds more than a small share of the files.
    public static func file(_ id: UUID) -> StorageKey {
        let id = id.uuidString.lowercased()
        return try! StorageKey("files/\(id.prefix(2))/\(id)")
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}

public struct StorageKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public var description: String {
        "\"\(key.prefix(100))\" is not a storage key (segments of letters, digits, '.', '_' and '-', separated by '/')"
    }
}
