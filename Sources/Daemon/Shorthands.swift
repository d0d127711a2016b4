import Config
import Rules

/// The PromQL a shorthand alert compiles to, for `lookout check`.
public enum Shorthands {
    /// The compiled expression of a shorthand alert.
    public static func compiledExpression(_ alert: AlertConfig) -> String? {
        Shorthand.compile(alert).expr
    }
}
