import Foundation

/// A file's name as the sender's computer gave it, made safe to store, show and offer as a download name.
///
/// Keeps everything that is only a name (letters in any script, spaces, punctuation, case) so people recognise
/// their file, and removes what could act as something else: folders (`../../etc/passwd` is `passwd`,
/// `C:\Users\x\report.pdf` is `report.pdf`), control and invisible formatting characters (a right-to-left override
/// can make `gpj.exe` look like `exe.jpg`), characters Windows refuses, and `..`. The result fits in 255 bytes of
/// UTF-8 (the usual file-system limit) with its extension kept, and is never empty.
///
/// The name is only ever shown or offered to browsers and zip files: stored files are keyed by id, never by name.
public struct FileName: Sendable, Hashable, CustomStringConvertible {
    public static let maximumBytes = 255
    /// What an empty or entirely unusable name becomes.
    public static let fallback = "file"

    public let value: String

    public init(sanitising original: String) {
        value = Self.sanitise(original)
    }

    public var description: String { value }

    /// The extension in lower case without the dot ("pdf"), or nil when the name has none.
    /// A hint only: the content type is detected from the bytes.
    public var fileExtension: String? {
        guard let dot = value.lastIndex(of: "."), dot != value.startIndex else { return nil }
        let ext = value[value.index(after: dot)...]
        guard !ext.isEmpty, ext.utf8.count <= Self.longestExtensionBytes, !ext.contains(" ") else { return nil }
        return ext.lowercased()
    }

    // MARK: Sanitising

    /// Longer "extensions" are treated as part of the name when shortening ("Minutes of the meeting.final draft").
    static let longestExtensionBytes = 16
    /// Characters Windows does not allow in names; replaced so downloads and zip entries open everywhere.
    static let refusedByWindows: Set<Character> = ["<", ">", ":", "\"", "|", "?", "*"]
    /// Look-alike slashes some systems turn into real ones ("best fit" character mapping).
    static let slashLookAlikes: Set<Unicode.Scalar> = ["\u{FF0F}", "\u{FF3C}", "\u{2215}", "\u{29F8}", "\u{29F9}"]
    /// Device names Windows reserves, with or without an extension.
    static let reservedByWindows = Set(["CON", "PRN", "AUX", "NUL"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })

    static func sanitise(_ original: String) -> String {
        // One spelling of each accented letter, so byte lengths and comparisons are stable.
        let normalised = original.precomposedStringWithCanonicalMapping
        // Only the last part of a path, whichever separator the sender's system used ("folder/" means "folder").
        let lastComponent = normalised.split(whereSeparator: { $0 == "/" || $0 == "\\" })
            .last(where: { !$0.allSatisfy(\.isWhitespace) }) ?? ""

        var scalars = String.UnicodeScalarView()
        for scalar in lastComponent.unicodeScalars {
            switch scalar.properties.generalCategory {
            // Unassigned code points are dropped too: a later Unicode version could make them format characters.
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                continue
            case .spaceSeparator:
                scalars.append(" ")
            default:
                scalars.append(slashLookAlikes.contains(scalar) ? "_" : scalar)
            }
        }
        var name = String(scalars).map { refusedByWindows.contains($0) ? "_" : String($0) }.joined()
        // No "..": a run of dots becomes one.
        while name.contains("..") { name = name.replacingOccurrences(of: "..", with: ".") }
        name = trimmed(name)
        // A leading dot would hide the file on Unix systems: ".pdf" becomes "file.pdf".
        if name.hasPrefix(".") { name = fallback + name }
        if let stem = name.split(separator: ".").first, reservedByWindows.contains(stem.uppercased()) {
            name = "_" + name
        }
        name = shortened(name)
        return name.isEmpty ? fallback : name
    }

    /// Without surrounding spaces, nor trailing dots (Windows drops them, so "report.pdf." would lose its type).
    private static func trimmed(_ name: String) -> String {
        var result = Substring(name)
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace || last == "." { result.removeLast() }
        return String(result)
    }

    /// At most `maximumBytes` of UTF-8, cutting whole characters off the end of the name before the extension.
    private static func shortened(_ name: String) -> String {
        guard name.utf8.count > maximumBytes else { return name }
        var stem = Substring(name)
        var suffix = ""
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            let ext = name[dot...]
            if ext.utf8.count - 1 <= longestExtensionBytes, !ext.contains(" ") {
                stem = name[..<dot]
                suffix = String(ext)
            }
        }
        let budget = maximumBytes - suffix.utf8.count
        var kept = ""
        var keptBytes = 0
        for character in stem {
            let bytes = character.utf8.count
            if keptBytes + bytes > budget { break }
            kept.append(character)
            keptBytes += bytes
        }
        let shortenedStem = trimmed(kept)
        return (shortenedStem.isEmpty ? fallback : shortenedStem) + suffix
    }
}

extension FileName: Codable {
    /// Decoding sanitises again, so a name read back from anywhere is as safe as a new one.
    public init(from decoder: any Decoder) throws {
        self.init(sanitising: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
