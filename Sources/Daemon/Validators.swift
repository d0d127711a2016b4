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
                return ExpressionIssue(line: error.line, utf8Column: error.column, in: text, message: "parse error: \(error.message)")
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
}
