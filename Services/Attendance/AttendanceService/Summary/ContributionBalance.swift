/// The contribution section of a training record: how many attended lessons got each value, with
/// percentages, and the balance (the sum of all values). CLM's example:
///
///     Balance | +2 exceptionally positive | +1 above standard | +0 expected | -1 below | -2 exceptionally negative
///     +3      | 0 0.0%                    | 4 2.1%            | 187 97.4%   | 1 0.5%   | 0 0.0%
///
/// The counts add up to 192, the same learner's total attendance: contribution is counted for lessons
/// the learner attended (present or late), and the percentages are of those. Unlike the attendance
/// columns, CLM shows zero counts here as "0 0.0%".
struct ContributionBalance: Codable, Sendable, Equatable {
    struct Figure: Codable, Sendable, Equatable {
        var contribution: Contribution
        var count: Int
        var percentage: Percentage?

        /// "4 2.1%".
        var cellText: String { percentage.map { "\(count) \($0.text)" } ?? "\(count)" }
    }

    /// +2 down to -2, every value present even when its count is zero.
    var figures: [Figure]

    /// Counts per value, e.g. from `SELECT contribution, count(*) ... GROUP BY contribution` over the
    /// placement's present and late marks. Values not given count zero.
    init(counts: [Contribution: Int]) {
        let total = counts.values.reduce(0, +)
        figures = Contribution.all.map { value in
            let count = counts[value] ?? 0
            return Figure(contribution: value, count: count, percentage: Percentage(count, of: total))
        }
    }

    var total: Int { figures.reduce(0) { $0 + $1.count } }

    /// The sum of every lesson's value: +3 for four +1s and one -1.
    var balance: Int { figures.reduce(0) { $0 + $1.contribution.value * $1.count } }

    /// "+3", "+0", "-2": signed, as CLM shows it.
    var balanceText: String { balance < 0 ? "\(balance)" : "+\(balance)" }
}
