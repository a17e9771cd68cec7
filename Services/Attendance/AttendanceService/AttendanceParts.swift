import Hummingbird
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// The attendance service's repositories, controllers and event handlers, wired once.
struct AttendanceParts: Sendable {
    let database: PostgresClient
    let logger: Logger

    init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    func addRoutes(to router: Router<ServiceRequestContext>) {
    }

    /// The events attendance consumes.
    var handlers: EventHandlers {
        let handlers = EventHandlers()
        return handlers
    }
}
