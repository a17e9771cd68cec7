import IdentityService
import ServiceKit

await ServiceMain.run(service: "identity", defaultPort: 8081) { configuration in
    try await buildApplication(configuration)
}
