import ServiceKit

/// The attendance service's own paths; the gateway serves them under `/api/attendance/`.
/// Each feature documents its paths in its own fragment (in this folder); operational paths
/// (health, metrics) are added by ServiceKit. Every route must appear (checked by a test).
enum AttendanceServiceOpenAPI {
    static let base = """
    {
      "openapi": "3.1.0",
      "info": {"title": "Learnbridge attendance", "version": "1.0.0",
               "description": "Courses, cohorts, placements (training records), lessons and tutoring sessions, registers and marks, absence processing. Each operation's description starts with who may call it."},
      "paths": {}
    }
    """

    static let fragments: [String] = ProvisionOpenAPI.fragments + [RegistersOpenAPI.fragment, TrainingRecordsOpenAPI.fragment]

    static let document = OpenAPIDocument.merge(base, fragments: fragments)
}
