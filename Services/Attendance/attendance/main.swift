import AttendanceService
import ServiceKit

await ServiceMain.run(service: "attendance", defaultPort: 8082) { configuration in
    try await buildApplication(configuration)
}
