import Foundation
import Hummingbird
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// The attendance service's repositories, controllers and event handlers, wired once.
struct AttendanceParts: Sendable {
    let database: PostgresClient
    let logger: Logger
    let courses: PostgresCourseRepository
    let placements: PostgresPlacementRepository
    let lessons: PostgresLessonRepository
    let registers: PostgresRegisterRepository
    let trainingRecords: PostgresTrainingRecordRepository

    /// Publishes RegisterOverdue for registers still incomplete after the grace period.
    let overdueReminder: RegisterOverdueReminder

    /// `registerGrace`: how long after a lesson ends an incomplete register becomes overdue
    /// (`REGISTER_GRACE_MINUTES` through AttendanceConfiguration, default 30); `alerts`: when absence
    /// alerts and overdue reminders are raised (`ALERT_*`).
    init(database: PostgresClient, logger: Logger, registerGrace: TimeInterval = RegisterState.defaultGrace,
         alerts: AlertSettings = .init()) {
        self.database = database
        self.logger = logger
        overdueReminder = RegisterOverdueReminder(client: database, grace: registerGrace, settings: alerts, logger: logger)
        courses = PostgresCourseRepository(client: database, logger: logger)
        placements = PostgresPlacementRepository(client: database, logger: logger)
        lessons = PostgresLessonRepository(client: database, logger: logger)
        trainingRecords = PostgresTrainingRecordRepository(client: database, logger: logger)
        registers = PostgresRegisterRepository(client: database, logger: logger, grace: registerGrace, alerts: alerts)
    }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        CoursesController(courses: courses).addRoutes(to: router)
        PlacementsController(placements: placements).addRoutes(to: router)
        LessonsController(lessons: lessons, courses: courses).addRoutes(to: router)
        RegistersController(registers: registers).addRoutes(to: router)
        TrainingRecordsController(records: trainingRecords).addRoutes(to: router)
    }

    /// The events attendance consumes.
    var handlers: EventHandlers { AttendanceEventHandlers.all }
}

/// The events attendance consumes (public, so the deployed broker definitions can be checked
/// against them).
public enum AttendanceEventHandlers {
    public static var all: EventHandlers {
        var handlers = EventHandlers()
        // identity's organisations, learners and groups, into the replica that scopes every query.
        IdentityReplica.register(on: &handlers)
        return handlers
    }
}
