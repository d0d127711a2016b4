import Model

/// Go `regexp` operations the templates use, on `LinearRegex` (Go's syntax and semantics).
enum GoRegex {
    static func compile(_ pattern: String) throws -> LinearRegex {
        do { return try LinearRegex(pattern) } catch {
            throw TemplateFunctionError("\(error)")
        }
    }

    /// `regexp.MatchString`: unanchored.
    static func matches(pattern: String, _ text: String) throws -> Bool {
        try compile(pattern).containsMatch(text)
    }

    /// `Regexp.ReplaceAllString`, with Go's `$1`, `${1}`, `$name`, `${name}` and `$$` expansion.
    static func replaceAll(pattern: String, in text: String, with template: String) throws -> String {
        try compile(pattern).replaceAll(in: text, with: template)
    }
}
