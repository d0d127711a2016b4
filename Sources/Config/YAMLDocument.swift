import Yams

/// A composed YAML file. Yams refuses a mapping with a duplicate key and stops there; to report
/// duplicates together with every other error, the first occurrence of each duplicate key is
/// renamed in the text (its first character swapped for a private-use character, so columns stay
/// put) and the file is composed again. The walker turns those keys back into diagnostics.
struct YAMLDocument {
    let root: Node?
    let lines: [Substring]
    /// Private-use character → the character it replaced.
    let renamed: [Character: Character]
    let syntaxErrors: [ConfigDiagnostic]

    private static let firstSentinel: UInt32 = 0xE000
    private static let maxRenames = 200

    init(text: String, file: String) {
        var text = text
        var renamed: [Character: Character] = [:]
        var root: Node?
        var errors: [ConfigDiagnostic] = []
        if let refusal = Self.aliasKeyCheck(text, file: file) {
            errors = refusal
        } else {
            (root, renamed, errors) = Self.compose(&text, file: file)
        }
        self.root = root
        self.renamed = renamed
        self.syntaxErrors = errors
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Composes `text`, renaming the first occurrence of duplicate keys until none is left.
    private static func compose(_ text: inout String, file: String)
        -> (root: Node?, renamed: [Character: Character], errors: [ConfigDiagnostic])
    {
        var renamed: [Character: Character] = [:]
        while true {
            do {
                return (try Yams.compose(yaml: text), renamed, [])
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                let sentinel = Character(Unicode.Scalar(Self.firstSentinel + UInt32(renamed.count))!)
                guard renamed.count < Self.maxRenames,
                      let original = Self.rename(in: &text, at: context.mark, with: sentinel)
                else {
                    let names = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
                    return (nil, renamed, [Self.diagnostic(file, context.mark, "duplicate key \(names)")])
                }
                renamed[sentinel] = original
            } catch let error as YamlError {
                return (nil, renamed, [Self.diagnostic(for: error, file: file)])
            } catch {
                return (nil, renamed, [ConfigDiagnostic(position: SourcePosition(file: file, line: 1, column: 1),
                                                        path: "", message: "cannot parse YAML: \(error)")])
            }
        }
    }

    /// Stands in for `*` in the alias check's first pass.
    private static let aliasStandIn: Unicode.Scalar = "\u{F8FF}"

    /// Yams hashes every mapping key while composing, walking an aliased key's whole expansion:
    /// nine nested nine-fold aliases used as one key take hours. A Lookout file never needs an
    /// alias inside a key, so when the text has a `*` at all, a first pass composes it with every
    /// `*` replaced by a plain character (no alias left, so linear time; columns stay put) and
    /// refuses the file at the first key that was an alias. Its errors, if any, are the file's
    /// errors (nil: compose the text as written).
    private static func aliasKeyCheck(_ text: String, file: String) -> [ConfigDiagnostic]? {
        guard text.utf8.contains(UInt8(ascii: "*")) else { return nil }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.map { $0 == "*" ? aliasStandIn : $0 })
        var neutral = String(scalars)
        let (root, _, errors) = compose(&neutral, file: file)
        guard let root else {
            let standIn = String(Character(aliasStandIn))
            return errors.map { diagnostic in
                var diagnostic = diagnostic
                diagnostic.message = diagnostic.message.replacingOccurrences(of: standIn, with: "*")
                return diagnostic
            }
        }
        guard let alias = firstAliasInKey(root) else { return nil }
        let name = alias.string.replacingOccurrences(of: String(Character(aliasStandIn)), with: "*")
        return [diagnostic(file, alias.mark, "an alias (\(name)) cannot be used in a mapping key")]
    }

    /// The first plain scalar standing for an alias inside a mapping key, walking without recursion.
    private static func firstAliasInKey(_ root: Node) -> Node.Scalar? {
        var pending: [(node: Node, inKey: Bool)] = [(root, false)]
        while let (node, inKey) = pending.popLast() {
            switch node {
            case .scalar(let scalar):
                if inKey, scalar.style == .plain || scalar.style == .any, scalar.string.unicodeScalars.first == aliasStandIn {
                    return scalar
                }
            case .sequence(let sequence):
                pending += sequence.reversed().map { ($0, inKey) }
            case .mapping(let mapping):
                for pair in mapping.reversed() { pending += [(pair.value, inKey), (pair.key, true)] }
            case .alias:
                break
            }
        }
        return nil
    }

    /// The original key when `key` is a renamed first occurrence of a duplicate.
    func originalKey(_ key: String) -> String? {
        guard let first = key.first, let original = renamed[first] else { return nil }
        return String(original) + key.dropFirst()
    }

    private static func rename(in text: inout String, at mark: Mark, with sentinel: Character) -> Character? {
        var scalars = Array(text.unicodeScalars)
        var line = 1
        var index = 0
        // Lines end where libyaml ends them: CR LF, CR, LF, NEL, LS or PS.
        while line < mark.line, index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == "\r", index < scalars.count, scalars[index] == "\n" { index += 1 }
            if ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) { line += 1 }
        }
        index += mark.column - 1
        if index < scalars.count, scalars[index] == "\"" || scalars[index] == "'" { index += 1 }
        guard index < scalars.count, !"[{?\n\r\"'".unicodeScalars.contains(scalars[index]) else { return nil }
        let original = Character(scalars[index])
        scalars[index] = sentinel.unicodeScalars.first!
        var rebuilt = String.UnicodeScalarView()
        rebuilt.append(contentsOf: scalars)
        text = String(rebuilt)
        return original
    }

    /// The 1-based line and column (in Unicode scalars, as libyaml counts) of the character at
    /// `offset` (in Characters, as Yams reports reader errors).
    static func place(ofCharacter offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for character in text.prefix(max(0, offset)) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return (line, column)
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func diagnostic(_ file: String, _ mark: Mark?, _ message: String) -> ConfigDiagnostic {
        ConfigDiagnostic(position: SourcePosition(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1),
                         path: "", message: message)
    }

    /// What to do about the libyaml problems a hand-edited file usually hits, or nil.
    static func advice(problem: String, character: Unicode.Scalar?) -> String? {
        if character == "\t" || problem.contains("tab character") { return "indent with spaces, not tabs" }
        if problem.hasPrefix("mapping values are not allowed") {
            return "check this line's indentation against the line above, or quote a value that contains \": \""
        }
        if problem == "did not find expected '-' indicator" || problem == "did not find expected key"
            || problem.hasPrefix("block sequence entries are not allowed") {
            return "check this line's indentation: the entries of one list or mapping start at the same column"
        }
        if problem.hasPrefix("did not find expected ',' or") { return "close the bracket, or separate the items with commas" }
        if problem.hasPrefix("found character that cannot start any token") { return "quote the value" }
        return nil
    }

    /// The character at a 1-based line and column of `yaml`, if there is one.
    private static func character(at mark: Mark?, in yaml: String) -> Unicode.Scalar? {
        guard let mark, mark.line >= 1, mark.column >= 1 else { return nil }
        var line = 1
        var column = 1
        for scalar in yaml.unicodeScalars {
            if line == mark.line && column == mark.column { return scalar }
            if line > mark.line { return nil }
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return nil
    }

    private static func diagnostic(for error: YamlError, file: String) -> ConfigDiagnostic {
        switch error {
        case let .scanner(context, problem, mark, yaml), let .parser(context, problem, mark, yaml),
             let .composer(context, problem, mark, yaml):
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            if let advice = advice(problem: problem, character: character(at: mark, in: yaml)) {
                message += "; " + advice
            }
            return diagnostic(file, mark, message)
        case let .reader(problem, offset, value, yaml):
            let found = Unicode.Scalar(UInt32(bitPattern: value)).map { " (found U+\(hex($0.value)))" } ?? ""
            let position = offset.map { place(ofCharacter: $0, in: yaml) }
            return ConfigDiagnostic(position: SourcePosition(file: file, line: position?.line ?? 1, column: position?.column ?? 1),
                                    path: "", message: "cannot read YAML: \(problem)\(found)")
        default:
            return diagnostic(file, nil, "cannot parse YAML: \(error)")
        }
    }
}
