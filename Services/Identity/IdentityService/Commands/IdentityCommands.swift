import Foundation
import Logging
import Persistence
import PostgresNIO
import ServiceKit

/// The identity executable's commands besides `serve`.
public enum IdentityCommands {
    public static func all(identity: IdentityConfiguration) -> [ServiceCommand] {
        [
            ServiceCommand(name: "bootstrap-coordinator",
                           summary: "create the coordinator and its first administrator (--organisation --email --first-name --last-name [--password])") {
                configuration, arguments in
                let options = try CommandOptions(arguments, required: ["organisation", "email", "first-name", "last-name"],
                                                 optional: ["password"])
                try await withParts(configuration, identity) { parts, hasher, client, logger in
                    let outcome = try await CoordinatorBootstrap(parts: parts, hasher: hasher, client: client, logger: logger).run(
                        organisationName: options["organisation"]!,
                        administrator: NewUser(email: options["email"]!, firstName: options["first-name"]!,
                                               lastName: options["last-name"]!, roles: [.administrator]),
                        password: options["password"])
                    print(outcome.created
                          ? "created \(outcome.organisation.name) and administrator \(outcome.administrator.email ?? "")"
                            + (outcome.administrator.status == .invited ? "; the activation email is on its way" : "")
                          : "\(outcome.organisation.name) and \(outcome.administrator.email ?? "") already exist; nothing changed")
                }
            },
            ServiceCommand(name: "seed-demo",
                           summary: "local demo data: organisations, users of every role, learners (needs LEARNBRIDGE_DEMO_DATA=yes)") {
                configuration, _ in
                try DemoDataGuard.check(allowed: identity.allowDemoData)
                try await withParts(configuration, identity) { parts, hasher, client, logger in
                    let accounts = try await DemoData(parts: parts, hasher: hasher, client: client, logger: logger).seed()
                    print("Demo accounts (password: \(DemoData.password)), sign in at POST /api/identity/login:")
                    for account in accounts {
                        print("  \(account.email.padding(toLength: 34, withPad: " ", startingAt: 0)) \(account.role) — \(account.organisation)")
                    }
                }
            },
        ]
    }

    /// Runs `body` with the service's parts on a migrated schema, outside the HTTP server.
    static func withParts(_ configuration: ServiceConfiguration, _ identity: IdentityConfiguration,
                          _ body: (IdentityParts, PasswordHasher, PostgresClient, Logger) async throws -> Void) async throws {
        let logger = Logger(label: "identity")
        let client = configuration.database.makeClient(logger: logger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        _ = try await Migrator(client: client, schema: configuration.database.schema,
                               migrations: IdentityServiceMigrations.all, logger: logger).migrate()
        let keys = SigningKeys()
        try await keys.load(seed: identity.signingKeySeed, client: client, logger: logger)
        let parts = IdentityParts(identity: identity, keys: keys, database: client, logger: logger)
        try await body(parts, PasswordHasher(cost: identity.bcryptCost), client, logger)
    }
}

