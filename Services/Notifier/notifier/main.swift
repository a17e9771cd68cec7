import NotifierService
import ServiceKit

await ServiceMain.run(service: "notifier", defaultPort: 8086) { configuration in
    try await buildApplication(configuration, notifier: try NotifierConfiguration.fromEnvironment())
}
