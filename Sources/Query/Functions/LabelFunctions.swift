import Model

/// `label_replace` and `label_join`.
enum LabelFunctions {
    /// The anchored regex of `label_replace`, compiled once per query: Prometheus wraps the
    /// pattern as `^(?:pattern)$` and compiles it with Go's `regexp`, whose syntax and matching
    /// `LinearRegex` follows.
    static func compile(_ pattern: String) throws -> LinearRegex {
        do {
            return try LinearRegex("^(?:" + pattern + ")$")
        } catch {
            throw QueryError(.badArgument, "invalid regular expression in label_replace(): \(pattern)")
        }
    }

    static func replace(_ values: [StepArg], regex: LinearRegex) throws -> [Element] {
        guard case .string(let dst) = values[1], case .string(let replacement) = values[2],
              case .string(let src) = values[3] else { return [] }
        guard isValidLabelName(dst) else {
            throw QueryError(.badArgument, "invalid destination label name in label_replace(): \(dst)")
        }
        return values[0].vector.map { element in
            let source = element.labels[src] ?? ""
            guard let match = regex.wholeMatch(source) else { return element }
            let result = regex.expand(replacement, match)
            return Element(labels: element.labels.setting(dst, to: result), value: element.value)
        }
    }

    static func join(_ values: [StepArg]) throws -> [Element] {
        guard case .string(let dst) = values[1], case .string(let separator) = values[2] else { return [] }
        var sources: [String] = []
        for value in values.dropFirst(3) {
            guard case .string(let src) = value else { continue }
            guard isValidLabelName(src) else {
                throw QueryError(.badArgument, "invalid source label name in label_join(): \(src)")
            }
            sources.append(src)
        }
        guard isValidLabelName(dst) else {
            throw QueryError(.badArgument, "invalid destination label name in label_join(): \(dst)")
        }
        return values[0].vector.map { element in
            let joined = sources.map { element.labels[$0] ?? "" }.joined(separator: separator)
            return Element(labels: element.labels.setting(dst, to: joined), value: element.value)
        }
    }
}
