/// The parsed form of a regular expression.
indirect enum RegexNode: Sendable {
    case empty
    /// One scalar out of a set (literals are one-scalar sets, case variants added under `(?i)`).
    case set(CharClass)
    /// `.`; `newline`: also matches `\n` (flag `s`).
    case any(newline: Bool)
    case assertion(RegexAssertion)
    /// A capturing group, numbered from 1.
    case capture(RegexNode, index: Int)
    case concat([RegexNode])
    case alternate([RegexNode])
    case loop(RegexNode, min: Int, max: Int?, greedy: Bool)
}

/// Zero-width assertions.
enum RegexAssertion: Sendable, Equatable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
}
