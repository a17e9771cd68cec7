import ReportingService
import ServiceKit

await ServiceMain.run(service: "reporting", defaultPort: 8084) { configuration in
    try await buildApplication(configuration)
}
