import Contracts

/// Which kinds of organisation may send files to which. One table, so the rule is easy to read and to test.
///
/// The rules are Datalocker's, as its guide states them (seed 004): files pass between the coordinator and its
/// partners, never between partners directly.
///
/// | from \ to   | coordinator | school  | provider |
/// |-------------|-------------|---------|----------|
/// | coordinator | refused     | allowed | allowed  |
/// | school      | allowed     | refused | refused  |
/// | provider    | allowed     | refused | refused  |
///
/// The guide lists only the four allowed transfers ("Datalocker will only allow the transfers outlined below"),
/// so the pairs it does not mention are refused too: a school cannot send to another school (nor to itself), a
/// provider to another provider, and the coordinator does not send files to itself (its staff share files
/// within their own team).
public enum TransferRoute {
    public enum Decision: Sendable, Equatable {
        case allowed
        case refused(Refusal)

        public var isAllowed: Bool { self == .allowed }
    }

    /// Why a transfer is refused, so the sender can be told what to do instead.
    public enum Refusal: Sendable, Equatable {
        /// School to provider, provider to school, school to school, provider to provider.
        case partnerToPartner(from: OrganisationKind, to: OrganisationKind)
        /// The coordinator sending to the coordinator.
        case withinCoordinator

        /// A sentence for the sender. `coordinatorName` is the coordinator organisation's name as users know it
        /// (for example "Coventry Alternative Provision (CAP)").
        public func message(coordinatorName: String = "the coordinator") -> String {
            switch self {
            case .partnerToPartner(let from, let to):
                let recipients = from == to ? "other \(Self.plural(to))" : Self.plural(to)
                return "\(Self.plural(from).capitalisedFirst) can't send files to \(recipients). "
                    + "Send it to \(coordinatorName) instead, who can pass it on."
            case .withinCoordinator:
                return "Files are sent between \(coordinatorName) and its partner schools and providers. "
                    + "Choose a school or provider as the recipient."
            }
        }

        private static func plural(_ kind: OrganisationKind) -> String {
            switch kind {
            case .coordinator: "coordinators"
            case .school: "schools"
            case .provider: "providers"
            }
        }
    }

    /// The table above, in code. Every ordered pair of organisation kinds has an entry.
    static let table: [OrganisationKind: [OrganisationKind: Decision]] = [
        .coordinator: [
            .coordinator: .refused(.withinCoordinator),
            .school: .allowed,
            .provider: .allowed,
        ],
        .school: [
            .coordinator: .allowed,
            .school: .refused(.partnerToPartner(from: .school, to: .school)),
            .provider: .refused(.partnerToPartner(from: .school, to: .provider)),
        ],
        .provider: [
            .coordinator: .allowed,
            .school: .refused(.partnerToPartner(from: .provider, to: .school)),
            .provider: .refused(.partnerToPartner(from: .provider, to: .provider)),
        ],
    ]

    /// Whether an organisation of kind `sender` may send a file to one of kind `recipient`.
    public static func decide(from sender: OrganisationKind, to recipient: OrganisationKind) -> Decision {
        // The table covers every pair; a kind added to `OrganisationKind` later is refused until it is added here.
        table[sender]?[recipient] ?? .refused(.partnerToPartner(from: sender, to: recipient))
    }
}

private extension String {
    var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
