/// Training records: the list with the attendance summary, the CSV export, one record, notes
/// (TrainingRecordsController).
enum TrainingRecordsOpenAPI {
    static let problem = ProvisionOpenAPI.problem, idParameter = ProvisionOpenAPI.idParameter, paging = ProvisionOpenAPI.paging

    static let who = "Staff, within their scope: coordinator staff every training record; a school's staff those of learners whose home school is theirs; a learner manager who is not an administrator only those of learners in the groups they manage; a provider's staff those it delivers. Learners signed in get 403."

    static let filters = #"""
        {"name": "providerId", "in": "query", "description": "Lesson provider.", "schema": {"type": "string", "format": "uuid"}},
        {"name": "schoolId", "in": "query", "description": "Home school (coordinator staff; others are held to their own).", "schema": {"type": "string", "format": "uuid"}},
        {"name": "cohortId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
        {"name": "courseId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
        {"name": "learnerId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
        {"name": "groupId", "in": "query", "description": "Learners in this learner group.", "schema": {"type": "string", "format": "uuid"}},
        {"name": "status", "in": "query", "description": "Record status.", "schema": {"type": "string", "enum": ["active", "closed"]}},
        {"name": "surname", "in": "query", "description": "The start of the learner's surname, any case.", "schema": {"type": "string", "maxLength": 100}},
        {"name": "startFrom", "in": "query", "description": "Start date no earlier than.", "schema": {"type": "string", "format": "date"}},
        {"name": "startTo", "in": "query", "description": "Start date no later than.", "schema": {"type": "string", "format": "date"}},
        {"name": "closedFrom", "in": "query", "description": "Closed on or after (closed records only).", "schema": {"type": "string", "format": "date"}},
        {"name": "closedTo", "in": "query", "description": "Closed on or before (closed records only).", "schema": {"type": "string", "format": "date"}},
        {"name": "ids", "in": "query", "description": "Training record ids, comma separated (at most 200).", "schema": {"type": "string"}},
        {"name": "gender", "in": "query", "schema": {"type": "string", "enum": ["female", "male", "other", "not-known"]}},
        {"name": "ethnicity", "in": "query", "description": "DfE ethnicity code, e.g. WBRI (any case).", "schema": {"type": "string", "maxLength": 4}},
        {"name": "yearGroup", "in": "query", "schema": {"type": "integer", "minimum": -2, "maximum": 14}},
        {"name": "yearGroupAndLater", "in": "query", "description": "With yearGroup: that year group and later ones.", "schema": {"type": "boolean", "default": false}},
        {"name": "senProvision", "in": "query", "schema": {"type": "string", "enum": ["ehc-plan", "sen-support", "none"]}},
        {"name": "inCare", "in": "query", "description": "In the care of a local authority (true) or not (false).", "schema": {"type": "boolean"}},
        {"name": "sort", "in": "query", "description": "learner: surname, first name, then start date (CLM's default).", "schema": {"type": "string", "enum": ["learner", "startDate", "school", "provider", "course"], "default": "learner"}},
        {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"], "default": "asc"}}
        """#

    static let fragment = """
    {
      "paths": {
        "/training-records": {
          "get": {"tags": ["training records"], "summary": "Training records with their attendance summary",
            "description": "\(who) Records outside the scope are not listed. Each row: learner, home school, training dates, provider, course cohort, status, and CLM's attendance summary: registers return (registers taken, lessons scheduled), total attendance (present + late), present, late, absent (authorised, unexplained, unauthorised), unmarked (registers taken without this learner's mark), other (dismissed, not required) — each a count and a percentage of registers taken — and missing (lessons started whose register has not been taken; percentage of lessons started). Cancelled lessons do not count. A malformed parameter is a 400 naming it.",
            "parameters": [\(filters), \(paging)],
            "responses": {"200": {"description": "A page of training records", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TrainingRecordPage"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem)}}},
        "/training-records/export.csv": {
          "get": {"tags": ["training records"], "summary": "Training records as training-records.csv (for mail merges)",
            "description": "\(who) Every record matching the filters (not just one page), one row each: id, first name, surname, date of birth, UPN, year group, home school, provider, course, cohort start date, start and end dates, status, registers taken, lessons scheduled, then each summary figure as a count and a percentage. UTF-8 with a byte-order mark; cells that a spreadsheet would run as a formula are prefixed with an apostrophe.",
            "parameters": [\(filters)],
            "responses": {"200": {"description": "training-records.csv", "content": {"text/csv": {"schema": {"type": "string"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem)}}},
        "/training-records/{id}": {
          "get": {"tags": ["training records"], "summary": "A training record",
            "description": "\(who) Outside the scope, or an id that is not a UUID: 404. The placement, the learner's details (including gender, ethnicity, SEN provision and in care, from identity), the attendance summary as in the list, the contribution balance (the sum of -2..+2 over the lessons attended) with each value's count and percentage, attendance notes written on registers (newest lesson first) and miscellaneous notes (newest first), and the data-protection caution shown to whoever writes a note.",
            "parameters": [\(idParameter)],
            "responses": {"200": {"description": "The training record", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TrainingRecord"}}}},
                          "401": \(problem), "403": \(problem), "404": \(problem)}}},
        "/training-records/{id}/notes": {
          "post": {"tags": ["training records"], "summary": "Add a miscellaneous note",
            "description": "\(who) Outside the scope: 404. A note that does not belong to a lesson: a subject (at most 200 characters) and the note (at most 4,000, several lines allowed); blank or too long is a 422 naming the field; unknown fields 400. Public like attendance notes (see noteCaution). Audited.",
            "parameters": [\(idParameter)],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewMiscellaneousNote"}}}},
            "responses": {"201": {"description": "The note", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MiscellaneousNote"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem), "404": \(problem), "422": \(problem)}}}
      },
      "components": {
        "schemas": {
          "SummaryFigure": {"type": "object", "required": ["count"], "properties": {"count": {"type": "integer"}, "percentage": {"type": "number", "description": "One decimal place, rounded half up; absent when there is nothing to divide by."}}},
          "AttendanceSummary": {"type": "object", "required": ["counts", "totalAttendance", "present", "late", "absent", "unmarked", "other", "missing"],
            "properties": {"counts": {"type": "object", "description": "lessonsScheduled, lessonsDue, registersTaken and one count per mark.", "additionalProperties": {"type": "integer"}},
              "totalAttendance": {"$ref": "#/components/schemas/SummaryFigure"}, "present": {"$ref": "#/components/schemas/SummaryFigure"},
              "late": {"$ref": "#/components/schemas/SummaryFigure"}, "absent": {"$ref": "#/components/schemas/SummaryFigure"},
              "unmarked": {"$ref": "#/components/schemas/SummaryFigure"}, "other": {"$ref": "#/components/schemas/SummaryFigure"},
              "missing": {"$ref": "#/components/schemas/SummaryFigure"}}},
          "TrainingRecordSummary": {"type": "object", "required": ["id", "learner", "schoolId", "providerId", "providerName", "courseId", "courseTitle", "cohortId", "cohortStartDate", "startDate", "status", "attendance", "registersReturn"],
            "properties": {"id": {"type": "string", "format": "uuid"}, "learner": {"$ref": "#/components/schemas/PlacementLearner"},
              "schoolId": {"type": "string", "format": "uuid"}, "schoolName": {"type": "string"},
              "providerId": {"type": "string", "format": "uuid"}, "providerName": {"type": "string"},
              "courseId": {"type": "string", "format": "uuid"}, "courseTitle": {"type": "string"},
              "cohortId": {"type": "string", "format": "uuid"}, "cohortStartDate": {"type": "string", "format": "date"},
              "startDate": {"type": "string", "format": "date"}, "endDate": {"type": "string", "format": "date"},
              "status": {"type": "string", "enum": ["active", "closed"]}, "attendance": {"$ref": "#/components/schemas/AttendanceSummary"},
              "registersReturn": {"type": "string", "description": "Registers taken and lessons scheduled, e.g. \\"194 208\\"."}}},
          "TrainingRecordPage": {"type": "object", "required": ["items", "page", "perPage", "total"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/TrainingRecordSummary"}},
              "page": {"type": "integer"}, "perPage": {"type": "integer"}, "total": {"type": "integer"}}},
          "MiscellaneousNote": {"type": "object", "required": ["id", "subject", "note", "organisationId", "createdAt"],
            "properties": {"id": {"type": "string", "format": "uuid"}, "subject": {"type": "string"}, "note": {"type": "string"},
              "writtenBy": {"type": "string", "format": "uuid"}, "organisationId": {"type": "string", "format": "uuid"},
              "organisationName": {"type": "string"}, "createdAt": {"type": "string", "format": "date-time"}}},
          "NewMiscellaneousNote": {"type": "object", "required": ["subject", "note"], "additionalProperties": false,
            "properties": {"subject": {"type": "string", "maxLength": 200}, "note": {"type": "string", "maxLength": 4000}}},
          "TrainingRecord": {"type": "object", "required": ["placement", "learner", "attendance", "registersReturn", "contribution", "attendanceNotes", "miscellaneousNotes", "noteCaution"],
            "properties": {"placement": {"$ref": "#/components/schemas/Placement"},
              "learner": {"type": "object", "required": ["id", "firstName", "lastName", "dateOfBirth"],
                "properties": {"id": {"type": "string", "format": "uuid"}, "firstName": {"type": "string"}, "middleNames": {"type": "string"},
                  "lastName": {"type": "string"}, "dateOfBirth": {"type": "string", "format": "date"}, "upn": {"type": "string"},
                  "uln": {"type": "string"}, "yearGroup": {"type": "integer"}, "tutorGroup": {"type": "string"}, "gender": {"type": "string"},
                  "ethnicityCode": {"type": "string"}, "senProvision": {"type": "string"}, "inCareOfLocalAuthority": {"type": "string"},
                  "leftOn": {"type": "string", "format": "date"}}},
              "attendance": {"$ref": "#/components/schemas/AttendanceSummary"}, "registersReturn": {"type": "string"},
              "contribution": {"type": "object", "required": ["balance", "balanceText", "lessonsCounted", "figures"],
                "properties": {"balance": {"type": "integer"}, "balanceText": {"type": "string"}, "lessonsCounted": {"type": "integer"},
                  "figures": {"type": "array", "items": {"type": "object", "properties": {"value": {"type": "integer"}, "label": {"type": "string"},
                    "count": {"type": "integer"}, "percentage": {"type": "number"}, "cellText": {"type": "string"}}}}}},
              "attendanceNotes": {"type": "array", "items": {"type": "object", "properties": {"lessonId": {"type": "string", "format": "uuid"},
                "date": {"type": "string", "format": "date"}, "start": {"type": "string"}, "mark": {"$ref": "#/components/schemas/Mark"},
                "markLabel": {"type": "string"}, "note": {"type": "string"}, "markedAt": {"type": "string", "format": "date-time"}}}},
              "miscellaneousNotes": {"type": "array", "items": {"$ref": "#/components/schemas/MiscellaneousNote"}},
              "noteCaution": {"type": "string"}}}
        }
      }
    }
    """
}
