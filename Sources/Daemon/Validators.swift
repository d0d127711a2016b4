import Config

/// The expression checks `lookout check` and the loader run: the real PromQL parser and the
/// real template parser, reporting errors at the expression's own line and column.
enum Validators {
    static let standard = ExpressionValidator.acceptAll
}
