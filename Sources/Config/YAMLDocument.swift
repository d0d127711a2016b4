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
        while true {
            do {
                root = try Yams.compose(yaml: text)
                break
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                let sentinel = Character(Unicode.Scalar(Self.firstSentinel + UInt32(renamed.count))!)
                guard renamed.count < Self.maxRenames,
                      let original = Self.rename(in: &text, at: context.mark, with: sentinel)
                else {
                    let names = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
                    errors.append(Self.diagnostic(file, context.mark, "duplicate key \(names)"))
                    break
                }
                renamed[sentinel] = original
            } catch let error as YamlError {
                errors.append(Self.diagnostic(for: error, file: file))
                break
            } catch {
                errors.append(ConfigDiagnostic(position: SourcePosition(file: file, line: 1, column: 1),
                                               path: "", message: "cannot parse YAML: \(error)"))
                break
            }
        }
        self.root = root
        self.renamed = renamed
        self.syntaxErrors = errors
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
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
        while line < mark.line, index < scalars.count {
            if scalars[index] == "\n" { line += 1 }
            index += 1
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

    private static func diagnostic(_ file: String, _ mark: Mark?, _ message: String) -> ConfigDiagnostic {
        ConfigDiagnostic(position: SourcePosition(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1),
                         path: "", message: message)
    }

    private static func diagnostic(for error: YamlError, file: String) -> ConfigDiagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return diagnostic(file, mark, message)
        case let .reader(problem, offset, _, _):
            return diagnostic(file, nil,
                              "cannot read YAML: \(problem)" + (offset.map { " at byte \($0)" } ?? ""))
        default:
            return diagnostic(file, nil, "cannot parse YAML: \(error)")
        }
    }
}
