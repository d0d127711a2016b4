import Model

/// `label_replace` and `label_join`.
enum LabelFunctions {
    /// The anchored regex of `label_replace`, compiled once per query.
    static func compile(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        do {
            return try Regex("^(?:" + pattern + ")$")
        } catch {
            throw QueryError(.badArgument, "invalid regular expression in label_replace(): \(pattern)")
        }
    }

    static func replace(_ values: [StepArg], regex: Regex<AnyRegexOutput>) throws -> [Element] {
        guard case .string(let dst) = values[1], case .string(let replacement) = values[2],
              case .string(let src) = values[3] else { return [] }
        guard isValidLabelName(dst) else {
            throw QueryError(.badArgument, "invalid destination label name in label_replace(): \(dst)")
        }
        return values[0].vector.map { element in
            let source = element.labels[src] ?? ""
            guard let match = try? regex.wholeMatch(in: source) else { return element }
            let result = expand(replacement, match.output)
            return Element(labels: element.labels.setting(dst, to: result), value: element.value)
        }
    }

    /// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`.
    static func expand(_ template: String, _ output: AnyRegexOutput) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$"
                rest = rest.dropFirst()
                continue
            }
            var name: Substring
            if rest.first == "{" {
                guard let close = rest.firstIndex(of: "}") else { out += "$"; continue }
                name = rest[rest.index(after: rest.startIndex)..<close]
                guard !name.isEmpty, name.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) else { out += "$"; continue }
                rest = rest[rest.index(after: close)...]
            } else {
                name = rest.prefix { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
                guard !name.isEmpty else { out += "$"; continue }
                rest = rest.dropFirst(name.count)
            }
            if let number = Int(name) {
                if number < output.count, let text = output[number].substring { out += text }
            } else if let element = output[String(name)], let text = element.substring {
                out += text
            }
        }
        return out + rest
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
