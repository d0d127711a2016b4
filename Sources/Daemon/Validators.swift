import Config
import Query
import Rules

/// The expression checks `lookout check` and the loader run: the real PromQL parser and the
/// real template parser, so errors point at the expression's own line and column.
enum Validators {
    static let standard = ExpressionValidator(
        promql: { text in
            do throws(ParseError) {
                _ = try PromQL.parse(text)
                return nil
            } catch {
                return ExpressionIssue(line: error.line, utf8Column: error.column, in: text,
                                       message: "parse error: \(error.message)" + functionHint(error.message))
            }
        },
        template: { text in
            do throws(TemplateError) {
                _ = try Template.parse(text)
                return nil
            } catch {
                return ExpressionIssue(line: error.line, characterColumn: error.column, in: text, message: "template error: \(error.message)")
            }
        })

    /// " (did you mean "rate"?)" after Prometheus' `unknown function with name "rat"`, else "".
    static func functionHint(_ message: String) -> String {
        let prefix = "unknown function with name \""
        guard message.hasPrefix(prefix), message.hasSuffix("\""), message.count > prefix.count else { return "" }
        let name = String(message.dropFirst(prefix.count).dropLast())
        // Among equally close names, one the typo is the start of wins ("rat" → "rate", not "rad").
        let names = PromQL.functionNames
        return Suggestion.hint(for: name, among: names.filter { $0.hasPrefix(name) } + names.filter { !$0.hasPrefix(name) })
    }
}
