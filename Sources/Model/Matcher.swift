/// A label matcher as in PromQL selectors and Alertmanager routes: `=`, `!=`, `=~`, `!~`.
/// Regular expressions are fully anchored (`=~"5.."` matches the whole value), as in Prometheus.
public struct Matcher: Hashable, Sendable, CustomStringConvertible {
    /// The four matcher kinds.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"
    }

    public let name: String
    public let value: String
    public let kind: Kind
    private let pattern: RegexPattern?

    /// Creates a matcher; throws `MatcherError` when a regex does not compile.
    public init(_ name: String, _ kind: Kind, _ value: String) throws {
        self.name = name
        self.kind = kind
        self.value = value
        switch kind {
        case .equal, .notEqual: pattern = nil
        case .regexMatch, .regexNoMatch: pattern = try RegexPattern(value)
        }
    }

    /// Whether a label value matches (a missing label is the empty string).
    public func matches(_ candidate: String) -> Bool {
        switch kind {
        case .equal: return candidate == value
        case .notEqual: return candidate != value
        case .regexMatch: return pattern!.matches(candidate)
        case .regexNoMatch: return !pattern!.matches(candidate)
        }
    }

    /// Whether the matcher accepts the value of its label in `labels`.
    public func matches(_ labels: Labels) -> Bool {
        matches(labels[name] ?? "")
    }

    /// Whether the matcher accepts the empty string (so it also selects series without the label).
    public var matchesEmpty: Bool { matches("") }

    public var description: String { "\(name)\(kind.rawValue)\"\(Labels.escape(value))\"" }

    public static func == (lhs: Matcher, rhs: Matcher) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(kind)
        hasher.combine(value)
    }
}

/// A bad regular expression in a matcher.
public struct MatcherError: Error, Sendable, CustomStringConvertible {
    public let pattern: String
    public let reason: String
    public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
}
