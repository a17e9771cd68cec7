import Foundation
import TestSupport

/// What Python's zipfile (an independent reader) finds in a zip: each entry's name and SHA-256, after checking
/// every entry's CRC (`testzip`). Throws if Python cannot read it.
func zipEntries(_ bytes: [UInt8]) throws -> [String: String] {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString).zip").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let script = """
    import hashlib, json, sys, zipfile
    with zipfile.ZipFile(sys.argv[1]) as archive:
        bad = archive.testzip()
        if bad is not None:
            sys.exit("bad entry " + bad)
        print(json.dumps({info.filename: hashlib.sha256(archive.read(info)).hexdigest() for info in archive.infolist()}))
    """
    let python = testPython()
    let process = Process()
    process.executableURL = python.executable
    process.arguments = python.prefix + ["-c", script, path]
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw ZipReadError(message: errorText) }
    return try JSONDecoder().decode([String: String].self, from: data)
}

struct ZipReadError: Error, CustomStringConvertible {
    let message: String
    var description: String { "python could not read the zip: \(message)" }
}

/// Whether `unzip -t` (Info-ZIP) accepts the zip, when it is installed; nil when it is not.
func unzipAccepts(_ bytes: [UInt8]) throws -> Bool? {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") else { return nil }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString).zip").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
    process.arguments = ["-tq", path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus == 0
}
