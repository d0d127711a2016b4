import Synchronization

/// A fully anchored regular expression with fast paths for the shapes matchers usually take
/// (a literal, or an alternation of literals), so the common cases never run the regex engine.
struct RegexPattern: Sendable {
    private enum Shape: Sendable {
        case literal(String)
        case alternatives(Set<String>)
        case prefix(String)          // `foo.*`
        case any                     // `.*`
        case nonEmpty                // `.+`
        case wildcard([Character?])  // literals and `.` only, e.g. `5..`; nil is any character but newline
        case regex(CompiledRegex)
    }

    private let shape: Shape

    init(_ source: String) throws {
        if source == ".*" { shape = .any; return }
        if source == ".+" { shape = .nonEmpty; return }
        if RegexPattern.isLiteral(source) { shape = .literal(source); return }
        let parts = source.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, parts.allSatisfy(RegexPattern.isLiteral) { shape = .alternatives(Set(parts)); return }
        if source.contains("."), RegexPattern.isLiteral(String(source.filter { $0 != "." })) {
            shape = .wildcard(source.map { $0 == "." ? nil : $0 })
            return
        }
        if source.hasSuffix(".*"), RegexPattern.isLiteral(String(source.dropLast(2))) {
            shape = .prefix(String(source.dropLast(2)))
            return
        }
        do {
            shape = .regex(CompiledRegex(try Regex(source)))
        } catch {
            throw MatcherError(pattern: source, reason: "\(error)")
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
            guard value.count == pattern.count else { return false }
            return zip(value, pattern).allSatisfy { ch, want in want.map { $0 == ch } ?? (ch != "\n") }
        case .regex(let regex): return regex.wholeMatches(value)
        }
    }

    private static func isLiteral(_ s: String) -> Bool {
        !s.contains { "\\.+*?()|[]{}^$".contains($0) }
    }
}

/// `Regex` is not `Sendable`; matching through a lock keeps it safe to share between threads.
final class CompiledRegex: Sendable {
    private let regex: Mutex<Regex<AnyRegexOutput>>

    init(_ regex: sending Regex<AnyRegexOutput>) { self.regex = Mutex(regex) }

    func wholeMatches(_ value: String) -> Bool {
        regex.withLock { (try? $0.wholeMatch(in: value)) != nil }
    }
}
