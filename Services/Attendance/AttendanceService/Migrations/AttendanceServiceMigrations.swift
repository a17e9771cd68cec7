import Messaging
import Persistence

/// The attendance schema, in order. Versions below 100 belong to the shared messaging tables.
/// Ranges: 100–109 the replica of identity's organisations, learners and groups; 110–119
/// provision (courses, cohorts, placements, lessons); 120–129 registers and marks; 130–139 alerts
/// and overdue reminders; 140–149 training records.
public enum AttendanceServiceMigrations {
    public static let all: [Migration] = MessagingMigrations.all + ReplicaSchema.all + ProvisionSchema.all
        + RegistersSchema.all + AlertsSchema.all + TrainingRecordsSchema.all
}
