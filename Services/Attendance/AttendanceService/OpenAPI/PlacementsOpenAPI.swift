/// Placements (training records), PlacementsController. Scope: AttendanceScope.
enum PlacementsOpenAPI {
    static let problem = ProvisionOpenAPI.problem, idParameter = ProvisionOpenAPI.idParameter, paging = ProvisionOpenAPI.paging

    static let fragment = """
    {
      "paths": {
        "/placements": {
          "post": {"tags": ["placements"], "summary": "Place a learner on a cohort",
            "description": "Coordinator administrators and coordinators (any learner), and a school's administrators and learner managers (learners whose home school is theirs; a learner manager who is not an administrator: learners in the groups they manage). Providers and other staff get 403. The learner must be in the caller's scope and not have left (422 naming learnerId, with the same message whether the learner does not exist or is not theirs); the cohort must exist (422 cohortId); the provider is the cohort's course's and the home school the learner's; arrangedBy is local-authority when the coordinator places the learner, school when the school does. startDate defaults to the cohort's start; endDate (planned, optional) cannot be before it (422 endDate); tutorGroup must be one of the cohort's (422). A second active placement of the learner on the cohort is a 409. Unknown fields are refused (400). Audited; publishes attendance.placement-started.v1.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPlacement"}}}},
            "responses": {"201": {"description": "Placed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Placement"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem), "409": \(problem), "422": \(problem)}},
          "get": {"tags": ["placements"], "summary": "Placements (training records)",
            "description": "Staff, within their scope: coordinator staff every placement; a school's staff the placements of learners whose home school is theirs; a learner manager who is not an administrator only those of learners in the groups they manage; a provider's staff the placements it delivers. Learners signed in get 403. Placements outside the scope are simply not listed (as a denied read of one answers 404). Filters: provider, home school, cohort, course, learner, status, the start of the surname, start date range; a malformed parameter is a 400 naming it. Sorted by surname, first name, start date.",
            "parameters": [{"name": "providerId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                           {"name": "schoolId", "in": "query", "description": "The learners' home school.", "schema": {"type": "string", "format": "uuid"}},
                           {"name": "cohortId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                           {"name": "courseId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                           {"name": "learnerId", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                           {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["active", "closed"]}},
                           {"name": "surname", "in": "query", "description": "The start of the learner's surname, any case.", "schema": {"type": "string", "maxLength": 100}},
                           {"name": "startFrom", "in": "query", "schema": {"type": "string", "format": "date"}},
                           {"name": "startTo", "in": "query", "schema": {"type": "string", "format": "date"}},
                           \(paging)],
            "responses": {"200": {"description": "A page of placements", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PlacementPage"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem)}}},
        "/placements/{id}": {
          "get": {"tags": ["placements"], "summary": "One placement",
            "description": "Staff whose scope shows the placement (as for the list); anyone else, and an id that is not a UUID, 404 (a denied read answers 404, not 403). Learners signed in get 403.",
            "parameters": [\(idParameter)],
            "responses": {"200": {"description": "The placement", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Placement"}}}},
                          "401": \(problem), "403": \(problem), "404": \(problem)}}},
        "/placements/{id}/close": {
          "post": {"tags": ["placements"], "summary": "Close a placement",
            "description": "Those who place learners, within their scope: coordinator administrators and coordinators, the home school's administrators and learner managers (of their groups). Staff who can see the placement but may not close it (the provider, other roles) get 403; a placement outside the caller's scope 404. endDate is the last day (not before the start, else 422); an optional reason. A closed placement is a 409. Audited; publishes attendance.placement-ended.v1.",
            "parameters": [\(idParameter)],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PlacementClosing"}}}},
            "responses": {"200": {"description": "Closed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Placement"}}}},
                          "400": \(problem), "401": \(problem), "403": \(problem), "404": \(problem), "409": \(problem), "422": \(problem)}}}
      },
      "components": {
        "schemas": {
          "NewPlacement": {"type": "object", "required": ["learnerId", "cohortId"], "additionalProperties": false,
            "properties": {"learnerId": {"type": "string", "format": "uuid"}, "cohortId": {"type": "string", "format": "uuid"},
              "startDate": {"type": "string", "format": "date", "description": "Defaults to the cohort's start date."},
              "endDate": {"type": "string", "format": "date", "description": "The planned end, if known; not before the start."},
              "tutorGroup": {"type": "string", "description": "One of the cohort's tutor groups."}}},
          "PlacementClosing": {"type": "object", "required": ["endDate"], "additionalProperties": false,
            "properties": {"endDate": {"type": "string", "format": "date"}, "reason": {"type": "string", "maxLength": 500}}},
          "PlacementLearner": {"type": "object", "required": ["id", "firstName", "lastName", "dateOfBirth"],
            "properties": {"id": {"type": "string", "format": "uuid"}, "firstName": {"type": "string"}, "lastName": {"type": "string"},
              "dateOfBirth": {"type": "string", "format": "date"}, "upn": {"type": "string"}, "yearGroup": {"type": "integer"},
              "leftOn": {"type": "string", "format": "date", "description": "Set if the learner has left their school."}}},
          "Placement": {"type": "object", "description": "A learner's training record at a provider. The home school is the learner's (it follows the learner).",
            "required": ["id", "learner", "schoolId", "providerId", "providerName", "courseId", "courseTitle", "cohortId", "cohortStartDate",
                         "arrangedBy", "startDate", "status", "version", "createdAt", "updatedAt"],
            "properties": {"id": {"type": "string", "format": "uuid"}, "learner": {"$ref": "#/components/schemas/PlacementLearner"},
              "schoolId": {"type": "string", "format": "uuid"}, "schoolName": {"type": "string"},
              "providerId": {"type": "string", "format": "uuid"}, "providerName": {"type": "string"},
              "courseId": {"type": "string", "format": "uuid"}, "courseTitle": {"type": "string"},
              "cohortId": {"type": "string", "format": "uuid"}, "cohortStartDate": {"type": "string", "format": "date"},
              "tutorGroup": {"type": "string"}, "startDate": {"type": "string", "format": "date"},
              "arrangedBy": {"type": "string", "enum": ["school", "local-authority"], "description": "Who arranged the placement: the home school, or the local authority (the coordinator placed the learner). The school records B or K for the learner's attendance accordingly."},
              "endDate": {"type": "string", "format": "date", "description": "Planned while active; the last day once closed."},
              "status": {"type": "string", "enum": ["active", "closed"]}, "closedReason": {"type": "string"},
              "closedAt": {"type": "string", "format": "date-time"}, "version": {"type": "integer"},
              "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"}}},
          "PlacementPage": {"type": "object", "required": ["items", "page", "perPage", "total"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Placement"}}, "page": {"type": "integer"},
              "perPage": {"type": "integer"}, "total": {"type": "integer"}}}
        }
      }
    }
    """
}
