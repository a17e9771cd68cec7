/// What the streaming XML tokenizer reports. Self-closing tags are reported as a start immediately followed by an end,
/// so handlers never need a special case for `<c r="B2"/>`.
enum XMLEvent: Sendable {
    case start(XMLTag)
    case end(localName: String)
    /// Character data with entities decoded (CDATA arrives verbatim); may arrive in several pieces.
    case text(String)
}
