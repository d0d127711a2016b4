/// `${NAME}` / `${NAME:-default}` expansion inside one scalar; `$$` is a literal `$` and a `$` not
/// followed by `{` or `$` stays as it is (templates use `$labels`, `$value`).
enum EnvExpansion {
    enum Failure: Error, Equatable {
        case unset(String)
        case unterminated
        case badName(String)

        var message: String {
            switch self {
            case .unset(let name):
                return "environment variable \(name) is not set (give a default with ${\(name):-value})"
            case .unterminated: return "unterminated ${ in value"
            case .badName(let name): return "invalid environment variable name \"\(name)\""
            }
        }
    }

    /// Whether the text needs expanding at all (fast path for the common case).
    static func needsExpansion(_ text: String) -> Bool { text.utf8.contains(UInt8(ascii: "$")) }

    static func expand(_ text: String, environment: [String: String]) -> Result<String, Failure> {
        guard needsExpansion(text) else { return .success(text) }
        var out = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            let after = rest.index(after: dollar)
            if after < rest.endIndex, rest[after] == "$" {
                out += "$"
                rest = rest[rest.index(after: after)...]
                continue
            }
            guard after < rest.endIndex, rest[after] == "{" else {
                out += "$"
                rest = rest[after...]
                continue
            }
            guard let close = rest[after...].firstIndex(of: "}") else { return .failure(.unterminated) }
            let body = rest[rest.index(after: after)..<close]
            rest = rest[rest.index(after: close)...]
            let name: Substring
            let fallback: Substring?
            if let range = body.range(of: ":-") {
                name = body[..<range.lowerBound]
                fallback = body[range.upperBound...]
            } else {
                name = body
                fallback = nil
            }
            guard isValidName(name) else { return .failure(.badName(String(name))) }
            if let value = environment[String(name)], !(value.isEmpty && fallback != nil) {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                return .failure(.unset(String(name)))
            }
        }
        out += rest
        return .success(out)
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`: a variable name `${…}` and `lookout.env` accept.
    static func isValidName<Name: StringProtocol>(_ name: Name) -> Bool {
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }
}
