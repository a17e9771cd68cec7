import IdentityService
import ServiceKit

let identity: IdentityConfiguration
do {
    identity = try IdentityConfiguration.fromEnvironment()
} catch {
    fatalError("identity: configuration error: \(error)")
}

await ServiceMain.run(service: "identity", defaultPort: 8081, commands: IdentityCommands.all(identity: identity)) { configuration in
    try await buildApplication(configuration, identity: identity)
}
