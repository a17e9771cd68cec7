import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// The identity service's repositories and controllers, wired once. Commands (bootstrap,
/// demo data) use the same parts as the HTTP routes, so they follow the same rules.
struct IdentityParts: Sendable {
    let organisations: PostgresOrganisationRepository
    let users: PostgresUserRepository
    let invitations: Invitations
    let passwords: Passwords
    let sessions: Sessions
    let signIn: SignIn
    let keys: SigningKeys
    let rollover: YearEndRollover
    let audit: AuditController
    let learners: PostgresLearnerRepository
    let learnerLogins: LearnerLogins
    let groups: PostgresLearnerGroupRepository
    let imports: ImportsController

    init(identity: IdentityConfiguration, keys: SigningKeys, database: PostgresClient, logger: Logger) {
        let hasher = PasswordHasher(cost: identity.bcryptCost)
        invitations = Invitations(activationLinkLifetime: identity.activationLinkLifetime)
        organisations = PostgresOrganisationRepository(client: database, invitations: invitations, logger: logger)
        users = PostgresUserRepository(client: database, invitations: invitations, logger: logger)
        passwords = Passwords(client: database, hasher: hasher, passwordResetLinkLifetime: identity.passwordResetLinkLifetime,
                              logger: logger)
        sessions = Sessions(keys: keys, accessTokenLifetime: identity.accessTokenLifetime,
                            refreshTokenLifetime: identity.refreshTokenLifetime, client: database, logger: logger)
        signIn = SignIn(client: database, hasher: hasher,
                        throttle: LoginThrottle(client: database, perAccount: identity.loginFailuresPerAccount,
                                                perAddress: identity.loginFailuresPerAddress,
                                                window: identity.loginFailureWindow, logger: logger),
                        users: users, sessions: sessions, passwords: passwords, logger: logger)
        self.keys = keys
        rollover = YearEndRollover(client: database, logger: logger)
        audit = AuditController(client: database, logger: logger)
        learners = PostgresLearnerRepository(client: database, logger: logger)
        learnerLogins = LearnerLogins(client: database, hasher: hasher, logger: logger)
        groups = PostgresLearnerGroupRepository(client: database, logger: logger)
        imports = ImportsController(
            imports: PostgresImportRepository(client: database, logger: logger, temporaryPasswordCost: TemporaryLogins.hashCost),
            organisations: organisations, maximumImportBytes: identity.maximumImportBytes)
    }

    func addRoutes(to router: Router<ServiceRequestContext>) {
        SessionsController(signIn: signIn, sessions: sessions, keys: keys).addRoutes(to: router)
        PasswordsController(passwords: passwords, users: users).addRoutes(to: router)
        UsersController(users: users, organisations: organisations).addRoutes(to: router)
        OrganisationsController(organisations: organisations).addRoutes(to: router)
        RolloverController(rollover: rollover, organisations: organisations).addRoutes(to: router)
        audit.addRoutes(to: router)
        LearnersController(learners: learners, logins: learnerLogins).addRoutes(to: router)
        LearnerGroupsController(groups: groups, learners: learners).addRoutes(to: router)
        imports.addRoutes(to: router)
    }
}
