/// The academic-year rollover.
enum RolloverOpenAPI {
    static let fragment = """
    {
      "paths": {
        "/rollover/preview": {"get": {"tags": ["rollover"], "summary": "What a rollover would change",
          "description": "Administrators of the organisation; the coordinator's administrators for any (organisationId). Writes nothing.",
          "parameters": [{"name": "academicYear", "in": "query", "schema": {"type": "integer"}, "description": "The year the academic year starts in: the current one or the next"},
                         {"name": "organisationId", "in": "query", "schema": {"type": "string", "format": "uuid"}}],
          "responses": {"200": {"description": "The plan", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RolloverPlan"}}}},
                        "403": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}, "404": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}, "422": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
        "/rollovers": {
          "post": {"tags": ["rollover"], "summary": "Run the rollover",
            "description": "Administrators, as for the preview. Learners move up a year group (except kept back), the final year group leaves, groups are kept, manager assignments are removed if the organisation's policy says so. A second run for the same year changes nothing (alreadyRan).",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"academicYear": {"type": "integer"}, "organisationId": {"type": "string", "format": "uuid"}}}}}},
            "responses": {"200": {"description": "The summary", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RolloverPlan"}}}},
                          "403": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}, "404": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}, "422": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}},
          "get": {"tags": ["rollover"], "summary": "Rollovers already run", "description": "Administrators, as for the preview.",
            "parameters": [{"name": "organisationId", "in": "query", "schema": {"type": "string", "format": "uuid"}}],
            "responses": {"200": {"description": "Newest first"}, "403": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}}
      },
      "components": {"schemas": {
        "LearnerMove": {"type": "object", "properties": {"learnerId": {"type": "string", "format": "uuid"}, "name": {"type": "string"}, "fromYearGroup": {"type": "integer"}, "toYearGroup": {"type": "integer"}}},
        "RolloverPlan": {"type": "object", "properties": {"organisationId": {"type": "string", "format": "uuid"}, "academicYear": {"type": "integer"}, "academicYearLabel": {"type": "string"},
          "movingUp": {"type": "array", "items": {"$ref": "#/components/schemas/LearnerMove"}}, "keptBack": {"type": "array", "items": {"$ref": "#/components/schemas/LearnerMove"}},
          "leaving": {"type": "array", "items": {"$ref": "#/components/schemas/LearnerMove"}},
          "managerAssignmentsRemoved": {"type": "array", "items": {"type": "object"}}, "groupsKept": {"type": "integer"}, "alreadyRan": {"type": "boolean"}, "ranAt": {"type": "string", "format": "date-time"}}}
      }}
    }
    """
}
