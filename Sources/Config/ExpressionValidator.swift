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
