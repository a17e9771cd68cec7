import Foundation
import Logging
import Persistence
import ServiceKit

/// The attendance executable's commands besides `serve`.
public enum AttendanceCommands {
    public static func all(attendance: AttendanceConfiguration) -> [ServiceCommand] {
        [
            ServiceCommand(name: "seed-demo",
                           summary: "local demo data: courses, placements, a term of lessons and marked registers (needs LEARNBRIDGE_DEMO_DATA=yes; run after identity seed-demo)") {
                configuration, _ in
                try DemoDataGuard.check(allowed: DemoDataGuard.isAllowed())
                let logger = Logger(label: "attendance")
                let client = configuration.database.makeClient(logger: logger)
                let runner = Task { await client.run() }
                defer { runner.cancel() }
                _ = try await Migrator(client: client, schema: configuration.database.schema,
                                       migrations: AttendanceServiceMigrations.all, logger: logger).migrate()
                let parts = AttendanceParts(database: client, logger: logger, registerGrace: attendance.registerGrace,
                                            alerts: attendance.alerts)
                print(try await DemoProvision(parts: parts).seed())
            },
        ]
    }
}
