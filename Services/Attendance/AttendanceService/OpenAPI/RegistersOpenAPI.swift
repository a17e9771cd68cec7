/// Registers and marks, absence processing, today's registers: RegistersController.
enum RegistersOpenAPI {
    static let problem = ProvisionOpenAPI.problem, idParameter = ProvisionOpenAPI.idParameter, paging = ProvisionOpenAPI.paging

    static let markValues = #"["present", "late", "authorised-absence", "unexplained-absence", "unauthorised-absence", "dismissed-behaviour", "dismissed-other", "not-required"]"#

    static let fragment = """
    {
      "paths": {
        "/lessons/{id}/register": {
          "get": {"tags": ["registers"], "summary": "A lesson's register",
            "description": "Staff whose scope shows the lesson (a provider its own lessons; a school the lessons teaching its learners; a learner manager those of their groups' learners; coordinator staff all); the register lists only the learners in the caller's scope, the counts and state are the whole register's. A lesson outside the scope, a cancelled lesson (which has no register) and an id that is not a UUID are 404; learners signed in get 403. Each line: learner, home school, arrangement (school: B, local-authority: K), mark (null until marked), DfE code and its meaning, contribution (-2..+2, default 0), attendance note. State: future, in-progress, overdue (ended and incomplete after the grace period, REGISTER_GRACE_MINUTES, default 30), completed; with its colour.",
            "parameters": [\(idParameter)],
            "responses": {"200": {"description": "The register", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Register"}}}},
                          "401": \(problem), "403": \(problem), "404": \(problem)}}},
        "/lessons/{id}/register/marks": {
          "put": {"tags": ["registers"], "summary": "Mark several learners at once",
            "description": "Provider staff of the lesson's provider, school staff (only processing their own learners' unexplained absences) and coordinator administrators and coordinators; other coordinator staff and learners get 403. All marks are written in one transaction, or none. Providers mark present, late, unexplained-absence, dismissed-behaviour, dismissed-other, not-required, never authorised-absence or unauthorised-absence (403), and cannot overwrite an absence the school processed (403); a school turns an unexplained absence of its own learner into authorised-absence or unauthorised-absence (anything else 403, another school's learner 404); the coordinator can do both. Before the lesson starts: 409; a cancelled lesson: 409; a lesson outside the scope: 404; a learner not on the register: 422 naming marks[i].learnerId. The DfE code defaults from the mark and the placement's arrangement (present, late, dismissed: B if the school arranged the placement, K if the local authority did; unexplained: N; unauthorised: O; authorised has no default and must be chosen); a code that does not fit is a 422 naming marks[i].code and the allowed codes. contribution -2..+2 (else 400 naming the field); a note of at most 2,000 characters (null clears it). Unknown fields: 400. Every changed mark is audited (one entry per learner) and publishes attendance.mark-recorded.v1 (first mark) or attendance.mark-changed.v1 (with before and after); processing an absence also publishes attendance.absence-processed.v1; the last learner marked publishes attendance.register-completed.v1. Answers the register as the caller sees it.",
            "parameters": [\(idParameter)],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RegisterMarks"}}}},
            "responses": {"200": {"description": "The register after marking", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Register"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem), "404": \(problem), "409": \(problem), "422": \(problem)}}},
        "/lessons/{id}/register/all-present": {
          "post": {"tags": ["registers"], "summary": "Mark the whole register present, with exceptions",
            "description": "As marking several learners (the same callers, rules, refusals, audit and events): every learner on the register the caller sees who has no mark yet becomes present; marks already recorded are kept; the optional exceptions set other marks in the same action (a learner not on the register: 422 naming exceptions[i].learnerId). A school's staff get 403 (schools do not mark present). The body may be empty.",
            "parameters": [\(idParameter)],
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AllPresent"}}}},
            "responses": {"200": {"description": "The register after marking", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Register"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem), "404": \(problem), "409": \(problem), "422": \(problem)}}},
        "/absences/unprocessed": {
          "get": {"tags": ["absences"], "summary": "Unprocessed absences",
            "description": "School staff (their own learners; a learner manager who is not an administrator only their groups' learners) and coordinator staff (every school's, or one by schoolId); provider staff and learners get 403. Every unexplained absence on a scheduled lesson, oldest lesson first, paginated.",
            "parameters": [{"name": "schoolId", "in": "query", "description": "Coordinator staff only; ignored for schools.", "schema": {"type": "string", "format": "uuid"}},
                           \(paging)],
            "responses": {"200": {"description": "A page of unprocessed absences", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UnprocessedAbsencePage"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem)}}},
        "/absences/process": {
          "post": {"tags": ["absences"], "summary": "Process unexplained absences, singly or in bulk",
            "description": "School staff for their own learners (another school's learner, or a lesson outside the scope, 404) and coordinator administrators and coordinators; provider staff, other coordinator staff and learners get 403. Each item turns an unexplained absence into authorised-absence or unauthorised-absence (another mark: 422 naming items[i].mark) with a DfE code that fits (authorised: a reason code must be chosen, e.g. I, M, C; unauthorised: G, O or U, default O; else 422 naming items[i].code and the allowed codes) and an optional note. A learner without an unexplained (or already processed) absence on that lesson: 403. All items in one transaction, or none. Audited per learner; publishes attendance.mark-changed.v1 and attendance.absence-processed.v1 per item.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AbsenceProcessing"}}}},
            "responses": {"200": {"description": "How many absences changed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProcessedAbsences"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem), "404": \(problem), "409": \(problem), "422": \(problem)}}},
        "/registers": {
          "get": {"tags": ["registers"], "summary": "The registers of a day",
            "description": "Staff, within their scope (as for lessons); learners signed in get 403. The scheduled lessons of one day (date, default today in Europe/London) with learner and marked counts, state and colour (completed green, overdue red, in-progress amber, future grey). Filters: cohortId, providerId, groupId (lessons with a learner in that learner group); sort start (default: start time, then provider) or cohort (course title, cohort, start time); paginated. A malformed parameter is a 400 naming it.",
            "parameters": [{"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}},
                           {"name": "cohortId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                           {"name": "providerId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                           {"name": "groupId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                           {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["start", "cohort"], "default": "start"}},
                           \(paging)],
            "responses": {"200": {"description": "A page of registers", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RegisterSummaryPage"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem)}}}
      },
      "components": {
        "schemas": {
          "Mark": {"type": "string", "enum": \(markValues)},
          "RegisterState": {"type": "string", "enum": ["future", "in-progress", "overdue", "completed"]},
          "RegisterColour": {"type": "string", "enum": ["green", "red", "amber", "grey"]},
          "MarkEntry": {"type": "object", "required": ["learnerId", "mark"], "additionalProperties": false,
            "properties": {"learnerId": {"type": "string", "format": "uuid"}, "mark": {"$ref": "#/components/schemas/Mark"},
              "code": {"type": "string", "description": "A 2024 DfE attendance code that fits the mark; left out: the default."},
              "contribution": {"type": "integer", "minimum": -2, "maximum": 2, "description": "Left out: unchanged (0 for a first mark)."},
              "note": {"type": ["string", "null"], "maxLength": 2000, "description": "Public attendance note; left out: unchanged; null: cleared."}}},
          "RegisterMarks": {"type": "object", "required": ["marks"], "additionalProperties": false,
            "properties": {"marks": {"type": "array", "minItems": 1, "maxItems": 500, "items": {"$ref": "#/components/schemas/MarkEntry"}}}},
          "AllPresent": {"type": "object", "additionalProperties": false,
            "properties": {"exceptions": {"type": "array", "maxItems": 500, "items": {"$ref": "#/components/schemas/MarkEntry"}}}},
          "AbsenceProcessing": {"type": "object", "required": ["items"], "additionalProperties": false,
            "properties": {"items": {"type": "array", "minItems": 1, "maxItems": 500, "items": {"type": "object", "required": ["lessonId", "learnerId", "mark"], "additionalProperties": false,
              "properties": {"lessonId": {"type": "string", "format": "uuid"}, "learnerId": {"type": "string", "format": "uuid"},
                "mark": {"type": "string", "enum": ["authorised-absence", "unauthorised-absence"]}, "code": {"type": "string"},
                "note": {"type": ["string", "null"], "maxLength": 2000}}}}}},
          "ProcessedAbsences": {"type": "object", "required": ["processed"], "properties": {"processed": {"type": "integer"}}},
          "RegisterLine": {"type": "object", "required": ["learnerId", "placementId", "firstName", "lastName", "schoolId", "arrangement", "contribution"],
            "properties": {"learnerId": {"type": "string", "format": "uuid"}, "placementId": {"type": "string", "format": "uuid"},
              "firstName": {"type": "string"}, "lastName": {"type": "string"}, "schoolId": {"type": "string", "format": "uuid"},
              "schoolName": {"type": "string"}, "arrangement": {"type": "string", "enum": ["school", "local-authority"]},
              "mark": {"$ref": "#/components/schemas/Mark"}, "code": {"type": "string"}, "codeMeaning": {"type": "string"},
              "contribution": {"type": "integer", "minimum": -2, "maximum": 2}, "note": {"type": "string"},
              "markedAt": {"type": "string", "format": "date-time"}, "version": {"type": "integer"}}},
          "Register": {"type": "object", "required": ["lessonId", "kind", "providerId", "providerName", "date", "start", "end", "startsAt", "endsAt", "state", "stateLabel", "colour", "overdueAt", "learnerCount", "markedCount", "completed", "noteCaution", "learners"],
            "properties": {"lessonId": {"type": "string", "format": "uuid"}, "kind": {"type": "string", "enum": ["cohort", "tutoring"]},
              "providerId": {"type": "string", "format": "uuid"}, "providerName": {"type": "string"},
              "cohortId": {"type": "string", "format": "uuid"}, "courseTitle": {"type": "string"}, "tutorGroup": {"type": "string"},
              "subject": {"type": "string"}, "date": {"type": "string", "format": "date"}, "start": {"type": "string"}, "end": {"type": "string"},
              "startsAt": {"type": "string", "format": "date-time"}, "endsAt": {"type": "string", "format": "date-time"},
              "location": {"type": "string"}, "state": {"$ref": "#/components/schemas/RegisterState"}, "stateLabel": {"type": "string"},
              "colour": {"$ref": "#/components/schemas/RegisterColour"}, "overdueAt": {"type": "string", "format": "date-time"},
              "learnerCount": {"type": "integer"}, "markedCount": {"type": "integer"}, "completed": {"type": "boolean"},
              "noteCaution": {"type": "string"},
              "learners": {"type": "array", "items": {"$ref": "#/components/schemas/RegisterLine"}}}},
          "RegisterSummary": {"type": "object", "required": ["lessonId", "kind", "providerId", "providerName", "date", "start", "end", "startsAt", "endsAt", "learnerCount", "markedCount", "state", "stateLabel", "colour"],
            "properties": {"lessonId": {"type": "string", "format": "uuid"}, "kind": {"type": "string", "enum": ["cohort", "tutoring"]},
              "providerId": {"type": "string", "format": "uuid"}, "providerName": {"type": "string"},
              "cohortId": {"type": "string", "format": "uuid"}, "courseTitle": {"type": "string"}, "tutorGroup": {"type": "string"},
              "subject": {"type": "string"}, "date": {"type": "string", "format": "date"}, "start": {"type": "string"}, "end": {"type": "string"},
              "startsAt": {"type": "string", "format": "date-time"}, "endsAt": {"type": "string", "format": "date-time"},
              "location": {"type": "string"}, "learnerCount": {"type": "integer"}, "markedCount": {"type": "integer"},
              "state": {"$ref": "#/components/schemas/RegisterState"}, "stateLabel": {"type": "string"},
              "colour": {"$ref": "#/components/schemas/RegisterColour"}}},
          "RegisterSummaryPage": {"type": "object", "required": ["items", "page", "perPage", "total"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/RegisterSummary"}},
              "page": {"type": "integer"}, "perPage": {"type": "integer"}, "total": {"type": "integer"}}},
          "UnprocessedAbsence": {"type": "object", "required": ["lessonId", "learnerId", "placementId", "firstName", "lastName", "schoolId", "date", "start", "end", "startsAt", "providerId", "providerName", "markedAt"],
            "properties": {"lessonId": {"type": "string", "format": "uuid"}, "learnerId": {"type": "string", "format": "uuid"},
              "placementId": {"type": "string", "format": "uuid"}, "firstName": {"type": "string"}, "lastName": {"type": "string"},
              "schoolId": {"type": "string", "format": "uuid"}, "schoolName": {"type": "string"},
              "date": {"type": "string", "format": "date"}, "start": {"type": "string"}, "end": {"type": "string"},
              "startsAt": {"type": "string", "format": "date-time"}, "providerId": {"type": "string", "format": "uuid"},
              "providerName": {"type": "string"}, "courseTitle": {"type": "string"}, "location": {"type": "string"},
              "code": {"type": "string"}, "note": {"type": "string"}, "markedAt": {"type": "string", "format": "date-time"}}},
          "UnprocessedAbsencePage": {"type": "object", "required": ["items", "page", "perPage", "total"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/UnprocessedAbsence"}},
              "page": {"type": "integer"}, "perPage": {"type": "integer"}, "total": {"type": "integer"}}}
        }
      }
    }
    """
}
