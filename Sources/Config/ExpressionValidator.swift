/// A problem inside an expression or template, positioned within the expression text.
public struct ExpressionIssue: Sendable, Hashable, Error {
    /// 1-based line within the expression text.
    public var line: Int
    /// 1-based column within that line.
    public var column: Int
    public var message: String

    public init(line: Int = 1, column: Int = 1, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// An issue whose column counts UTF-8 bytes (PromQL's unit, as Prometheus counts), converted
    /// to Unicode scalars, the unit YAML positions count, so it lands on the right character.
    public init(line: Int, utf8Column: Int, in text: String, message: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var column = utf8Column
        if line >= 1, line <= lines.count, utf8Column > 1 {
            var bytes = 0, scalars = 0
            for scalar in lines[line - 1].unicodeScalars where bytes < utf8Column - 1 {
                bytes += UTF8.width(scalar)
                scalars += 1
            }
            column = scalars + 1 + max(0, utf8Column - 1 - bytes)
        }
        self.init(line: line, column: column, message: message)
    }

    /// An issue whose column counts Characters on lines split at every newline character (the
    /// template parser's units), converted to Unicode scalars.
    public init(line: Int, characterColumn: Int, in text: String, message: String) {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var column = characterColumn
        if line >= 1, line <= lines.count, characterColumn > 1 {
            let before = lines[line - 1].prefix(characterColumn - 1)
            column = before.unicodeScalars.count + 1 + max(0, characterColumn - 1 - before.count)
        }
        self.init(line: line, column: column, message: message)
    }
}

/// The seam through which later stages check expressions while the config loads: Config has no
/// PromQL or template parser of its own. Each closure returns nil when the text is valid.
///
/// Called on every `expr` (shorthand and rule files), every shorthand selector (`error_rate.total`
/// and `.errors`, `latency.histogram`, `daily_cost.counter` / `.series`) and every label and
/// annotation value (templates). Issues are reported at the matching place in the YAML file.
public struct ExpressionValidator: Sendable {
    public var promql: @Sendable (String) -> ExpressionIssue?
    public var template: @Sendable (String) -> ExpressionIssue?

    public init(
        promql: @escaping @Sendable (String) -> ExpressionIssue? = { _ in nil },
        template: @escaping @Sendable (String) -> ExpressionIssue? = { _ in nil }
    ) {
        self.promql = promql
        self.template = template
    }

    /// Accepts every expression and template.
    public static let acceptAll = ExpressionValidator()
}
