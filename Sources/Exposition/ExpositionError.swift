/// Why a payload was rejected, and where: 1-based line and column (in bytes) of the offending input.
public struct ExpositionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number.
    public let line: Int
    /// 1-based byte column within the line.
    public let column: Int
    /// What was wrong, e.g. `expected label value in quotes`.
    public let message: String

    /// Creates an error at a position.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line 3, column 12: expected label value in quotes`.
    public var description: String { "line \(line), column \(column): \(message)" }
}
