/// The two tabs of the downloads page.
///
/// A file is *new* until anyone in the recipient organisation has downloaded it, and *previously downloaded*
/// after that: Datalocker gave each establishment one designated login, so "downloaded" was always the
/// organisation's state, and one person fetching a safeguarding concern means the organisation has it.
/// A file that expired without being downloaded stays under "new" (marked expired), so nobody thinks it never came.
enum ReceivedFilesView: String, CaseIterable, Sendable {
    case new
    case downloaded
}
