/// Provision: courses and cohorts (CoursesController), placements (PlacementsController),
/// lessons and tutoring sessions (LessonsController). Who sees which placement and lesson is
/// decided by AttendanceScope; one outside the caller's scope is a 404, never a 403.
enum ProvisionOpenAPI {
    static let fragments: [String] = [courses, PlacementsOpenAPI.fragment, LessonsOpenAPI.fragment]

    /// The answer every error has (written out inline in each operation).
    static let problem = ##"{"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}"##
    static let idParameter = #"{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}"#
    static let paging = #"""
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000000, "default": 1}},
        {"name": "perPage", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}}
        """#

    static let courses = """
    {
      "paths": {
        "/courses": {
          "post": {"tags": ["courses"], "summary": "Add a course",
            "description": "Coordinator administrators and coordinators (for any provider: providerId is required) and provider administrators (for their own provider; another providerId is a 403). Everyone else gets 403. The details are validated field by field (422 naming each field): a title, a UK postcode (normalised, e.g. CV1 5FB), a cost in pence that is not negative; a providerId that names no provider is a 422. Unknown fields are refused (400). Audited.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewCourse"}}}},
            "responses": {"201": {"description": "Added", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Course"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem), "422": \(problem)}},
          "get": {"tags": ["courses"], "summary": "The course directory",
            "description": "Any member of staff (learners signed in get 403): courses by provider, category and part of the title, qualification title or code; sorted by title.",
            "parameters": [{"name": "providerId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                           {"name": "category", "in": "query", "description": "The exact category, any case.", "schema": {"type": "string"}},
                           {"name": "search", "in": "query", "description": "Part of the title, qualification title or code.", "schema": {"type": "string"}},
                           \(paging)],
            "responses": {"200": {"description": "A page of courses", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CoursePage"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem)}}},
        "/courses/{id}": {
          "get": {"tags": ["courses"], "summary": "One course with its cohorts",
            "description": "Any member of staff (learners signed in get 403). An unknown id is a 404.",
            "parameters": [\(idParameter)],
            "responses": {"200": {"description": "The course", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Course"}}}},
                          "401": \(problem), "403": \(problem), "404": \(problem)}},
          "patch": {"tags": ["courses"], "summary": "Change a course",
            "description": "Coordinator administrators and coordinators, and the administrators of the course's provider; other staff get 403. Fields left out keep their value, null clears an optional one; the provider never changes (providerId is refused as an unknown field, 400). Validation as for adding (422). Every changed field is audited (before, after).",
            "parameters": [\(idParameter)],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CoursePatch"}}}},
            "responses": {"200": {"description": "Changed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Course"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem), "404": \(problem), "422": \(problem)}}},
        "/courses/{id}/cohorts": {
          "post": {"tags": ["courses"], "summary": "Add a cohort to a course",
            "description": "Coordinator administrators and coordinators, and the administrators of the course's provider; other staff get 403. A start date (yyyy-mm-dd, else 400), an age group (free text such as KS4 or Year 10–11) and tutor group names (each 1 to 50 characters, unique in the cohort whatever the case, at most 30; else 422 naming tutorGroups[i]). Audited.",
            "parameters": [\(idParameter)],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewCohort"}}}},
            "responses": {"201": {"description": "Added", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Cohort"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem), "404": \(problem), "422": \(problem)}}},
        "/cohorts": {
          "get": {"tags": ["courses"], "summary": "Cohorts",
            "description": "Any member of staff (learners signed in get 403): cohorts by course, provider and start date (startFrom, startTo, yyyy-mm-dd; a malformed date is a 400 naming it); newest first.",
            "parameters": [{"name": "courseId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                           {"name": "providerId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                           {"name": "startFrom", "in": "query", "schema": {"type": "string", "format": "date"}},
                           {"name": "startTo", "in": "query", "schema": {"type": "string", "format": "date"}},
                           \(paging)],
            "responses": {"200": {"description": "A page of cohorts", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CohortPage"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem)}}},
        "/cohorts/{id}": {
          "get": {"tags": ["courses"], "summary": "One cohort",
            "description": "Any member of staff (learners signed in get 403). An unknown id is a 404.",
            "parameters": [\(idParameter)],
            "responses": {"200": {"description": "The cohort", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Cohort"}}}},
                          "401": \(problem), "403": \(problem), "404": \(problem)}},
          "patch": {"tags": ["courses"], "summary": "Change a cohort",
            "description": "Coordinator administrators and coordinators, and the administrators of the cohort's provider; other staff get 403. Start date, age group (null clears it) and the whole list of tutor groups; a tutor group still named by a placement or a scheduled lesson cannot be removed (409 naming tutorGroups). Audited.",
            "parameters": [\(idParameter)],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CohortPatch"}}}},
            "responses": {"200": {"description": "Changed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Cohort"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem), "404": \(problem), "409": \(problem), "422": \(problem)}}}
      },
      "components": {
        "schemas": {
          "Qualification": {"type": "object", "required": ["title"],
            "properties": {"code": {"type": "string", "maxLength": 30, "examples": ["100/5073/5"]}, "title": {"type": "string", "maxLength": 300},
              "level": {"type": "string", "maxLength": 30, "examples": ["2", "Entry 3"]}}},
          "NewCourse": {"type": "object", "required": ["title"], "additionalProperties": false,
            "properties": {"providerId": {"type": "string", "format": "uuid", "description": "Required of the coordinator; a provider's administrators default to their own."},
              "title": {"type": "string", "maxLength": 200}, "qualification": {"$ref": "#/components/schemas/Qualification"},
              "category": {"type": "string", "maxLength": 100}, "description": {"type": "string", "maxLength": 5000},
              "location": {"type": "string", "maxLength": 300, "description": "Where the course is delivered."},
              "postcode": {"type": "string", "description": "A UK postcode; normalised to upper case with one space (CV1 5FB)."},
              "costPence": {"type": "integer", "minimum": 0, "maximum": 100000000, "default": 0}}},
          "CoursePatch": {"type": "object", "additionalProperties": false,
            "properties": {"title": {"type": "string", "maxLength": 200}, "qualification": {"oneOf": [{"$ref": "#/components/schemas/Qualification"}, {"type": "null"}]},
              "category": {"type": ["string", "null"]}, "description": {"type": ["string", "null"]}, "location": {"type": ["string", "null"]},
              "postcode": {"type": ["string", "null"]}, "costPence": {"type": ["integer", "null"], "minimum": 0}}},
          "Course": {"type": "object", "description": "A course a provider runs.",
            "required": ["id", "providerId", "providerName", "title", "costPence", "version", "createdAt", "updatedAt"],
            "properties": {"id": {"type": "string", "format": "uuid"}, "providerId": {"type": "string", "format": "uuid"}, "providerName": {"type": "string"},
              "title": {"type": "string"}, "qualification": {"$ref": "#/components/schemas/Qualification"}, "category": {"type": "string"},
              "description": {"type": "string"}, "location": {"type": "string"}, "postcode": {"type": "string"}, "costPence": {"type": "integer"},
              "cohorts": {"type": "array", "description": "On a single course only, newest first.", "items": {"$ref": "#/components/schemas/Cohort"}},
              "version": {"type": "integer"}, "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"}}},
          "CoursePage": {"type": "object", "required": ["items", "page", "perPage", "total"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Course"}}, "page": {"type": "integer"},
              "perPage": {"type": "integer"}, "total": {"type": "integer"}}},
          "NewCohort": {"type": "object", "required": ["startDate"], "additionalProperties": false,
            "properties": {"startDate": {"type": "string", "format": "date"}, "ageGroup": {"type": "string", "maxLength": 50, "examples": ["KS4", "Year 10–11"]},
              "tutorGroups": {"type": "array", "maxItems": 30, "items": {"type": "string", "maxLength": 50}}}},
          "CohortPatch": {"type": "object", "additionalProperties": false,
            "properties": {"startDate": {"type": "string", "format": "date"}, "ageGroup": {"type": ["string", "null"]},
              "tutorGroups": {"type": "array", "maxItems": 30, "items": {"type": "string", "maxLength": 50}}}},
          "Cohort": {"type": "object", "description": "A course's intake.",
            "required": ["id", "courseId", "courseTitle", "providerId", "providerName", "startDate", "tutorGroups", "version", "createdAt", "updatedAt"],
            "properties": {"id": {"type": "string", "format": "uuid"}, "courseId": {"type": "string", "format": "uuid"}, "courseTitle": {"type": "string"},
              "providerId": {"type": "string", "format": "uuid"}, "providerName": {"type": "string"}, "startDate": {"type": "string", "format": "date"},
              "ageGroup": {"type": "string"}, "tutorGroups": {"type": "array", "items": {"type": "string"}}, "version": {"type": "integer"},
              "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"}}},
          "CohortPage": {"type": "object", "required": ["items", "page", "perPage", "total"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Cohort"}}, "page": {"type": "integer"},
              "perPage": {"type": "integer"}, "total": {"type": "integer"}}}
        }
      }
    }
    """
}
