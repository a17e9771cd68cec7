import Foundation
import Hummingbird
import Logging

/// The body of every service's `@main`: read the environment, set up logging and metrics,
/// build the application and run it until SIGTERM or SIGINT.
public enum ServiceMain {
    public static func run<App: ApplicationProtocol>(
        service: String, defaultPort: Int,
        build: (ServiceConfiguration) async throws -> App
    ) async {
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.fromEnvironment(service: service, defaultPort: defaultPort)
        } catch {
            FileHandle.standardError.write(Data("\(service): configuration error: \(error)\n".utf8))
            exit(78)  // EX_CONFIG
        }
        LoggingSetup.bootstrap(format: configuration.logFormat, level: configuration.logLevel)
        MetricsSetup.bootstrap()
        do {
            try await build(configuration).runService()
        } catch {
            Logger(label: service).critical("service stopped", metadata: ["error": "\(String(reflecting: error))"])
            exit(1)
        }
    }
}
