import Model

/// Alertmanager matcher strings: `name="value"`, `name!=value`, `name=~"re|gex"`, `name!~"re"`.
/// The value may be double-quoted (with `\"`, `\\`, `\n` escapes) or bare; `{…}` around a single
/// matcher is accepted, as Alertmanager does.
enum MatcherText {
    static func parse(_ input: String) -> Result<Matcher, MatcherTextError> {
        var text = Substring(input.trimmingSpaces)
        if text.hasPrefix("{") && text.hasSuffix("}") { text = text.dropFirst().dropLast() }
        let name = text.prefix { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        guard !name.isEmpty, LabelName.isValid(String(name)) else {
            return .failure(MatcherTextError("invalid matcher \"\(input)\": expected a label name first"))
        }
        var rest = text.dropFirst(name.count).drop { $0 == " " }
        let kind: Matcher.Kind
        if rest.hasPrefix("=~") { kind = .regexMatch } else if rest.hasPrefix("!~") { kind = .regexNoMatch }
        else if rest.hasPrefix("!=") { kind = .notEqual } else if rest.hasPrefix("=") { kind = .equal }
        else {
            return .failure(MatcherTextError("invalid matcher \"\(input)\": expected one of =, !=, =~, !~ after \"\(name)\""))
        }
        rest = rest.dropFirst(kind.rawValue.count).drop { $0 == " " }
        let value: String
        if rest.hasPrefix("\"") {
            guard let unquoted = unquote(rest) else {
                return .failure(MatcherTextError("invalid matcher \"\(input)\": unterminated quoted value"))
            }
            value = unquoted
        } else {
            guard !rest.contains("\"") else {
                return .failure(MatcherTextError("invalid matcher \"\(input)\": stray quote in value"))
            }
            value = String(rest).trimmingSpaces
        }
        do {
            return .success(try Matcher(String(name), kind, value))
        } catch {
            return .failure(MatcherTextError("invalid matcher \"\(input)\": \(error)"))
        }
    }

    /// The content of a double-quoted string that must end the text.
    private static func unquote(_ quoted: Substring) -> String? {
        var out = ""
        var escaped = false
        var iterator = quoted.dropFirst().makeIterator()
        while let character = iterator.next() {
            if escaped {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                var trailing = ""
                while let next = iterator.next() { trailing.append(next) }
                return trailing.trimmingSpaces.isEmpty ? out : nil
            } else {
                out.append(character)
            }
        }
        return nil
    }
}

struct MatcherTextError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension Cursor {
    func matcher() -> Matcher? {
        guard let text = nonEmptyString() else { return nil }
        switch MatcherText.parse(text) {
        case .success(let matcher): return matcher
        case .failure(let failure):
            error(failure.message)
            return nil
        }
    }

    /// An equality map (`match: {severity: critical}`) as matchers, sorted by name.
    func equalityMatchers() -> [Matcher]? {
        guard let map = labelMap() else { return nil }
        return map.sorted { $0.key < $1.key }.compactMap { try? Matcher($0.key, .equal, $0.value) }
    }
}
