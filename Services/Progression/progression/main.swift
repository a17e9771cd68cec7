import ProgressionService
import ServiceKit

await ServiceMain.run(service: "progression", defaultPort: 8083) { configuration in
    try await buildApplication(configuration)
}
