import Persistence

/// Courses, cohorts, placements and lessons (versions 110–119).
enum ProvisionSchema {
    static let all: [Migration] = []
}
