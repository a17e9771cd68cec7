import PostgresNIO

/// Reads a row's cells in order, for rows too wide for one tuple.
public struct RowReader {
    private let row: PostgresRandomAccessRow
    private var index = 0

    public init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    public mutating func next<Value: PostgresDecodable>(_: Value.Type = Value.self) throws -> Value {
        defer { index += 1 }
        return try row[index].decode(Value.self)
    }
}
