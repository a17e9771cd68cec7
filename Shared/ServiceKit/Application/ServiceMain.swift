import AMQPClient
import Foundation
import Hummingbird
import Logging
import Messaging

/// The body of every service's `@main`: read the environment, set up logging and metrics,
/// then run the command given on the command line:
/// - (none) or `serve`: build the application and run it until SIGTERM or SIGINT;
/// - `replay-dead-letters`: move the service's dead letters back to its queue, then exit;
/// - `--help`: list the commands;
/// - any of the service's own `commands` (identity's `bootstrap-coordinator`, say).
public enum ServiceMain {
    public static func run<App: ApplicationProtocol>(
        service: String, defaultPort: Int, arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        commands: [ServiceCommand] = [],
        build: (ServiceConfiguration) async throws -> App
    ) async {
        let command = arguments.first ?? "serve"
        if command == "--help" || command == "-h" || command == "help" {
            print("""
                usage: \(service) [command]
                  serve                 run the service (default)
                  replay-dead-letters   move messages from the \(service).dead-letter queue back to \(service)
                \(commands.map { "  " + $0.name.padding(toLength: 22, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))
                configuration comes from environment variables (see README.md)
                """)
            return
        }
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.fromEnvironment(service: service, defaultPort: defaultPort)
        } catch {
            fail("\(service): configuration error: \(error)", status: 78)  // EX_CONFIG
        }
        LoggingSetup.bootstrap(format: configuration.logFormat, level: configuration.logLevel)
        let logger = Logger(label: service)
        switch command {
        case "serve":
            MetricsSetup.bootstrap()
            do {
                try await build(configuration).runService()
            } catch {
                logger.critical("service stopped", metadata: ["error": "\(String(reflecting: error))"])
                exit(1)
            }
        case "replay-dead-letters":
            let broker = AMQPConnection(configuration: configuration.broker, logger: logger)
            broker.start()
            do {
                try await broker.waitUntilConnected()
                let count = try await DeadLetters.replay(queue: service, broker: broker, logger: logger)
                print("replayed \(count) dead letters to \(service)")
                await broker.close()
            } catch {
                await broker.close()
                fail("\(service): replay failed: \(error)", status: 1)
            }
        default:
            if let custom = commands.first(where: { $0.name == command }) {
                do {
                    try await custom.run(configuration, Array(arguments.dropFirst()))
                } catch {
                    fail("\(service) \(command): \(error)", status: 1)
                }
                return
            }
            fail("\(service): unknown command \(command); see \(service) --help", status: 64)  // EX_USAGE
        }
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(status)
    }
}

/// A command of one service's executable besides `serve`, e.g. `identity bootstrap-coordinator`.
public struct ServiceCommand: Sendable {
    public var name: String
    public var summary: String
    public var run: @Sendable (ServiceConfiguration, [String]) async throws -> Void

    public init(name: String, summary: String, run: @escaping @Sendable (ServiceConfiguration, [String]) async throws -> Void) {
        self.name = name
        self.summary = summary
        self.run = run
    }
}
