/// A PromQL syntax or type error with its 1-based position, worded as Prometheus words it.
/// `description` reads like promtool's: `1:23: parse error: unexpected ")"`.
public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line of the offending token.
    public let line: Int
    /// 1-based column (in bytes, as Prometheus counts) of the offending token.
    public let column: Int
    /// The message without position, e.g. `unexpected ")"`.
    public let message: String

    /// Creates an error at a byte offset of `query`.
    init(message: String, offset: Int, in query: String) {
        var line = 1
        var lastBreak = -1
        for (index, byte) in query.utf8.prefix(max(0, offset)).enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lastBreak = index
        }
        self.line = line
        self.column = offset - lastBreak
        self.message = message
    }

    /// `LINE:COLUMN: parse error: MESSAGE`, as promtool prints it.
    public var description: String { "\(line):\(column): parse error: \(message)" }
}
