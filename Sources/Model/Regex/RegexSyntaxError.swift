/// A regular expression that does not parse, with Go's wording where Go has one
/// (`missing closing )`, `invalid nested repetition operator`, …) and the offending text.
public struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. `missing closing ]`.
    public let reason: String
    /// The part of the pattern at fault.
    public let fragment: String

    init(_ reason: String, _ fragment: some StringProtocol) {
        self.reason = reason
        self.fragment = String(fragment)
    }

    public var description: String { "error parsing regexp: \(reason): `\(fragment)`" }
}
