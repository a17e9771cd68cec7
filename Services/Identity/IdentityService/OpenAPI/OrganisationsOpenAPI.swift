/// Organisations: the coordinator, schools and providers.
enum OrganisationsOpenAPI {
    static let fragment = """
    {
      "paths": {
        "/organisations": {
          "post": {"tags": ["organisations"], "summary": "Register a school or provider (optionally inviting its first administrator)",
            "description": "Coordinator administrators and coordinators.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/OrganisationDetails"},
              {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["school", "provider"]}, "administrator": {"$ref": "#/components/schemas/NewUser"}}}]}}}},
            "responses": {"201": {"description": "Registered", "content": {"application/json": {"schema": {"type": "object", "properties": {"organisation": {"$ref": "#/components/schemas/Organisation"}, "administrator": {"$ref": "#/components/schemas/User"}}}}}},
                          "403": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}, "409": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}, "422": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}},
          "get": {"tags": ["organisations"], "summary": "List organisations", "description": "Any member of staff.",
            "parameters": [{"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["coordinator", "school", "provider"]}}, {"name": "search", "in": "query", "schema": {"type": "string"}},
                           {"name": "page", "in": "query", "schema": {"type": "integer"}}, {"name": "perPage", "in": "query", "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "A page of organisations"}, "403": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
        "/organisations/{id}": {
          "get": {"tags": ["organisations"], "summary": "One organisation", "description": "Any member of staff.", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
            "responses": {"200": {"description": "The organisation", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Organisation"}}}}, "404": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}},
          "patch": {"tags": ["organisations"], "summary": "Change details and year-end policy",
            "description": "Coordinator administrators and coordinators, or the organisation's own administrators (audited). Omitted fields keep their value; null clears.",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrganisationDetails"}}}},
            "responses": {"200": {"description": "Changed"}, "403": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}, "404": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}, "422": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}}
      },
      "components": {"schemas": {
        "OrganisationDetails": {"type": "object", "properties": {"name": {"type": "string"}, "address": {"type": "string"}, "telephone": {"type": "string"},
          "localAuthorityCode": {"type": "string", "pattern": "^[0-9]{3}$"}, "establishmentNumber": {"type": "string", "pattern": "^[0-9]{4}$"},
          "urn": {"type": "string", "pattern": "^[0-9]{6}$"}, "ukprn": {"type": "string", "pattern": "^1[0-9]{7}$"},
          "rolloverRemovesManagerAssignments": {"type": "boolean"}, "rolloverAutomatically": {"type": "boolean"}, "finalYearGroup": {"type": "integer", "minimum": 1, "maximum": 14}}},
        "Organisation": {"allOf": [{"$ref": "#/components/schemas/OrganisationDetails"}, {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"},
          "kind": {"type": "string", "enum": ["coordinator", "school", "provider"]}, "version": {"type": "integer"}, "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"}}}]}
      }}
    }
    """
}
