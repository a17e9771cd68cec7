import Persistence

/// The copy of identity's organisations, learners and learner groups that attendance scopes
/// its queries with (built from identity's events; versions 100–109).
enum ReplicaSchema {
    static let all: [Migration] = []
}
