/// A fully anchored regular expression with fast paths for the shapes matchers usually take
/// (a literal, or an alternation of literals), so the common cases never run the regex engine.
/// The others run on `LinearRegex` (Go's syntax and semantics, linear time).
struct RegexPattern: Sendable {
    private enum Shape: Sendable {
        case literal(String)
        case alternatives(Set<String>)
        case prefix(String)          // `foo.*`
        case any                     // `.*`
        case nonEmpty                // `.+`
        case wildcard([Unicode.Scalar?])  // literals and `.` only, e.g. `5..`; nil is any scalar but newline
        case regex(LinearRegex)
    }

    private let shape: Shape

    init(_ source: String) throws {
        if source == ".*" { shape = .any; return }
        if source == ".+" { shape = .nonEmpty; return }
        if RegexPattern.isLiteral(source) { shape = .literal(source); return }
        let parts = source.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, parts.allSatisfy(RegexPattern.isLiteral) { shape = .alternatives(Set(parts)); return }
        if source.contains("."), RegexPattern.isLiteral(String(source.filter { $0 != "." })) {
            shape = .wildcard(source.unicodeScalars.map { $0 == "." ? nil : $0 })
            return
        }
        if source.hasSuffix(".*"), RegexPattern.isLiteral(String(source.dropLast(2))) {
            shape = .prefix(String(source.dropLast(2)))
            return
        }
        do {
            shape = .regex(try LinearRegex(source))
        } catch {
            throw MatcherError(pattern: source, reason: "\(error.reason): `\(error.fragment)`")
        }
    }

    func matches(_ value: String) -> Bool {
        switch shape {
        case .literal(let literal): return value == literal
        case .alternatives(let set): return set.contains(value)
        case .prefix(let prefix): return value.hasPrefix(prefix) && !value.contains("\n")
        case .any: return !value.contains("\n")
        case .nonEmpty: return !value.isEmpty && !value.contains("\n")
        case .wildcard(let pattern):
            let scalars = value.unicodeScalars
            guard scalars.count == pattern.count else { return false }
            return zip(scalars, pattern).allSatisfy { scalar, want in want.map { $0 == scalar } ?? (scalar != "\n") }
        case .regex(let regex): return regex.wholeMatches(value)
        }
    }

    private static func isLiteral(_ s: String) -> Bool {
        !s.contains { "\\.+*?()|[]{}^$".contains($0) }
    }
}
