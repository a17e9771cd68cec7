import AttendanceService
import ServiceKit

let attendance: AttendanceConfiguration
do {
    attendance = try AttendanceConfiguration.fromEnvironment()
} catch {
    fatalError("attendance: configuration error: \(error)")
}

await ServiceMain.run(service: "attendance", defaultPort: 8082, commands: AttendanceCommands.all(attendance: attendance)) { configuration in
    try await buildApplication(configuration, attendance: attendance)
}
