/// A start tag. Names are compared without namespace prefixes: generators differ (`sheet` vs `x:sheet`, `r:id`).
struct XMLTag: Sendable {
    let localName: String
    let attributes: [(localName: String, value: String)]

    func attribute(_ localName: String) -> String? {
        attributes.first { $0.localName == localName }?.value
    }

    static func localName(of qualified: some StringProtocol) -> String {
        if let colon = qualified.lastIndex(of: ":") {
            return String(qualified[qualified.index(after: colon)...])
        }
        return String(qualified)
    }
}
