/// Who receives a file sent to a role in an organisation: the people holding that role and the
/// organisation's administrators. Part of the contract because two services apply it: file
/// transfer decides who may see and download the file, the notifier who is told it is waiting.
public enum FileRecipients {
    public static func mayReceive(_ roles: Set<Role>, addressedTo role: Role) -> Bool {
        roles.contains(role) || roles.contains(.administrator)
    }
}
