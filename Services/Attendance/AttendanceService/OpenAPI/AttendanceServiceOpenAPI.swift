/// The attendance service's own paths; the gateway serves them under `/api/attendance/`.
/// Operational paths (health, metrics) are added by ServiceKit.
enum AttendanceServiceOpenAPI {
    static let document = """
    {
      "openapi": "3.1.0",
      "info": {"title": "Learnbridge attendance", "version": "1.0.0",
               "description": "Courses, placements, lessons, registers and marks, absence processing, course directory and applications."},
      "paths": {}
    }
    """
}
