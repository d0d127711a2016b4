import Config

/// The PromQL a shorthand alert compiles to, for `lookout check` (filled by the rules stage).
public enum Shorthands {
    /// The compiled expression of a shorthand alert, or nil when it cannot be compiled.
    public static func compiledExpression(_ alert: AlertConfig) -> String? { nil }
}
