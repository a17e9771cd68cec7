import Foundation
import GatewayService
import Logging
import ServiceKit

let configuration: GatewayConfiguration
do {
    configuration = try GatewayConfiguration.fromEnvironment()
} catch {
    FileHandle.standardError.write(Data("gateway: configuration error: \(error)\n".utf8))
    exit(78)
}
LoggingSetup.bootstrap(format: configuration.logFormat, level: configuration.logLevel)
MetricsSetup.bootstrap()
do {
    try await buildApplication(configuration).runService()
} catch {
    Logger(label: "gateway").critical("gateway stopped", metadata: ["error": "\(String(reflecting: error))"])
    exit(1)
}
