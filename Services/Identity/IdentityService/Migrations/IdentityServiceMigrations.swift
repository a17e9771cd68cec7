import Messaging
import Persistence

/// The identity schema, in order. Versions below 100 belong to the shared messaging tables.
/// Applied migrations are never edited: a change is a new version.
public enum IdentityServiceMigrations {
    public static let all: [Migration] = MessagingMigrations.all + [
        AccountsSchema.organisationsAndUsers,
        AccountsSchema.credentials,
        AccountsSchema.staffVersions,
        LearnersSchema.learners,
        LearnersSchema.groups,
        ImportsSchema.imports,
        RolloverSchema.rollovers,
    ]
}
