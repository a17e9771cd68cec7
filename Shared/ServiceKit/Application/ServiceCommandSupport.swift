/// `--name value` pairs for a `ServiceCommand`, with the missing and unknown ones named.
public struct CommandOptions: Sendable {
    private var values: [String: String] = [:]

    public init(_ arguments: [String], required: [String], optional: [String] = []) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--"), index + 1 < arguments.count else {
                throw CommandError("expected --name value pairs, got \(argument)")
            }
            let name = String(argument.dropFirst(2))
            guard required.contains(name) || optional.contains(name) else { throw CommandError("unknown option --\(name)") }
            values[name] = arguments[index + 1]
            index += 2
        }
        let missing = required.filter { values[$0] == nil }
        if !missing.isEmpty { throw CommandError("missing " + missing.map { "--\($0)" }.joined(separator: ", ")) }
    }

    public subscript(name: String) -> String? { values[name] }
}

/// A command that cannot go on, with a sentence for the operator.
public struct CommandError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Demo data is seeded only when `LEARNBRIDGE_DEMO_DATA=yes` (the local run sets it), so production
/// configuration can never seed it. Every service's `seed-demo` command checks the same variable.
public enum DemoDataGuard {
    public static func isAllowed(_ env: EnvironmentReader = .init()) -> Bool {
        env.string("LEARNBRIDGE_DEMO_DATA", default: "no") == "yes"
    }

    public static func check(allowed: Bool) throws {
        guard allowed else { throw CommandError("demo data is for local runs only; set LEARNBRIDGE_DEMO_DATA=yes to allow it") }
    }
}
