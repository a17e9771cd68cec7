/// Fragments of the features documented in their own files (learners, groups, imports).
extension IdentityServiceOpenAPI {
    static let featureFragments: [String] = [LearnerRecordsOpenAPI.fragment, GroupsOpenAPI.fragment, LearnerImportsOpenAPI.fragment]
}
