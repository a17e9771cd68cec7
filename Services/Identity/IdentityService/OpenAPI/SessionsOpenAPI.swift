/// Signing in, tokens, sign-out and the public keys.
enum SessionsOpenAPI {
    static let fragment = """
    {
      "paths": {
        "/login": {"post": {"tags": ["sessions"], "summary": "Sign in", "security": [],
          "description": "Public (rate-limited per account and per client address). Staff sign in with their email address, learners with their username. Every failure gets the same 401 answer whether or not the account exists. A temporary password answers 403 `password-change-required`: use /login/change-password.",
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Credentials"}}}},
          "responses": {"200": {"description": "Signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenPair"}}}},
                        "400": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}, "401": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                        "403": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}, "429": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
        "/login/change-password": {"post": {"tags": ["sessions"], "summary": "First sign-in with a temporary password", "security": [],
          "description": "Public. Proves the temporary password, sets the new one (password policy applies) and signs in.",
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["login", "currentPassword", "newPassword"],
            "properties": {"login": {"type": "string"}, "currentPassword": {"type": "string"}, "newPassword": {"type": "string"}}}}}},
          "responses": {"200": {"description": "Signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenPair"}}}},
                        "401": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}, "422": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                        "429": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
        "/token/refresh": {"post": {"tags": ["sessions"], "summary": "Exchange a refresh token for a new token pair", "security": [],
          "description": "Public. The refresh token is used up; presenting it again revokes the whole session family.",
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RefreshRequest"}}}},
          "responses": {"200": {"description": "New tokens", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenPair"}}}},
                        "401": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
        "/logout": {"post": {"tags": ["sessions"], "summary": "Sign out",
          "description": "Any signed-in user. Ends the session the refresh token belongs to.",
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RefreshRequest"}}}},
          "responses": {"204": {"description": "Signed out"}, "401": {"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
        "/.well-known/jwks.json": {"get": {"tags": ["sessions"], "summary": "Public keys (JWKS)", "security": [],
          "description": "Public. The Ed25519 keys access tokens are signed with (RFC 7517/8037).",
          "responses": {"200": {"description": "JSON Web Key Set", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
      },
      "components": {
        "schemas": {
          "Credentials": {"type": "object", "required": ["login", "password"], "properties": {"login": {"type": "string", "description": "Email address (staff) or username (learners)"}, "password": {"type": "string"}}},
          "RefreshRequest": {"type": "object", "required": ["refreshToken"], "properties": {"refreshToken": {"type": "string"}}},
          "TokenPair": {"type": "object", "required": ["accessToken", "tokenType", "expiresIn", "refreshToken", "user"],
            "properties": {"accessToken": {"type": "string", "description": "EdDSA JWT: sub, org, org_kind, roles"}, "tokenType": {"type": "string", "enum": ["Bearer"]},
                           "expiresIn": {"type": "integer"}, "refreshToken": {"type": "string"}, "user": {"$ref": "#/components/schemas/User"}}}
        }
      }
    }
    """
}
