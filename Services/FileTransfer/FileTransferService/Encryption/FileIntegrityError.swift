/// Why a stored file cannot be decrypted. Each one means the stored bytes (or the keys) cannot be trusted, so the
/// download fails rather than returning anything that was not exactly what the sender uploaded.
public enum FileIntegrityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's key was wrapped by a master key that is no longer configured (a rotation dropped it too soon).
    case masterKeyNotConfigured(id: String)
    /// The configured master key with this id did not wrap the file's key, or the wrapped key was altered.
    case wrongMasterKey(id: String)
    /// The stored object does not start with this format's header.
    case notAnEncryptedFile
    /// The stored bytes end before the file's final chunk, or are shorter than recorded at upload.
    case truncated
    /// The stored bytes go on after the file's final chunk, or are longer than recorded at upload.
    case extraData
    /// A chunk fails its authentication check: bytes were changed.
    case alteredChunk(index: Int)
    /// The chunk in this position is another chunk of the same file: chunks were reordered or one was removed.
    case misplacedChunk(position: Int, belongsAt: Int)
    /// Every chunk opened, yet the whole is not the size recorded at upload (the row and the bytes disagree):
    /// defence in depth, checked as a download ends.
    case sizeMismatch

    public var description: String {
        switch self {
        case .masterKeyNotConfigured(let id): "the file's key was wrapped by master key \"\(id)\", which is not configured"
        case .wrongMasterKey(let id): "master key \"\(id)\" does not unwrap the file's key (wrong key, or the wrapped key was altered)"
        case .notAnEncryptedFile: "the stored object is not an encrypted Learnbridge file"
        case .truncated: "the stored file is truncated"
        case .extraData: "the stored file has bytes after its end"
        case .alteredChunk(let index): "chunk \(index) of the stored file was altered"
        case .sizeMismatch: "the decrypted file does not have the size recorded at upload"
        case .misplacedChunk(let position, let belongsAt):
            "the stored file's chunks are out of order: chunk \(belongsAt) is in position \(position)"
        }
    }
}
