import Yams
import Model

/// What every step of one file's walk shares.
struct DecodeContext {
    let file: String
    /// Directory relative paths (`*_file`, `rule_files`, `ca_file`) are resolved against.
    let directory: String
    let environment: [String: String]
    /// Rule files are loaded verbatim, as Prometheus does; only the main config expands `${…}`.
    let expandsEnvironment: Bool
    let sink: DiagnosticSink
    let validator: ExpressionValidator
    let document: YAMLDocument
}

/// A YAML node with its key path; every accessor reports what is wrong with the node at its
/// position and returns nil, so a walk carries on and collects every error of the file.
struct Cursor {
    let node: Node
    let path: String
    let context: DecodeContext

    var position: SourcePosition { context.position(of: node) }

    func error(_ message: String) { context.sink.report(position, path, message) }

    func error(_ message: String, at position: SourcePosition) { context.sink.report(position, path, message) }

    func child(_ key: String, _ node: Node) -> Cursor {
        Cursor(node: node, path: path.isEmpty ? key : "\(path).\(key)", context: context)
    }

    func element(_ index: Int, _ node: Node) -> Cursor {
        Cursor(node: node, path: "\(path)[\(index)]", context: context)
    }

    var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    var kindName: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return isNull ? "null" : "a scalar"
        case .alias: return "an alias"
        }
    }

    /// Whether the scalar was written in quotes (quoted text never means a number or a boolean in JSON checks).
    var isQuoted: Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .singleQuoted || scalar.style == .doubleQuoted
    }

    /// The scalar's text with `${…}` expanded (in the main config).
    func text(expecting what: String = "a string") -> String? {
        guard case .scalar(let scalar) = node else {
            error("expected \(what), got \(kindName)")
            return nil
        }
        guard context.expandsEnvironment else { return scalar.string }
        switch EnvExpansion.expand(scalar.string, environment: context.environment) {
        case .success(let text): return text
        case .failure(let failure):
            error(failure.message)
            return nil
        }
    }

    func string() -> String? { text() }

    func nonEmptyString() -> String? {
        guard let text = text() else { return nil }
        if text.isEmpty { error("must not be empty") }
        return text.isEmpty ? nil : text
    }

    func int(in range: ClosedRange<Int>? = nil) -> Int? {
        guard let text = text(expecting: "an integer") else { return nil }
        guard let value = Int(text.trimmingSpaces) else {
            error("invalid integer \"\(text)\"")
            return nil
        }
        if let range, !range.contains(value) {
            error(range.upperBound == Int.max ? "must be at least \(range.lowerBound), got \(value)"
                : "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
            return nil
        }
        return value
    }

    func double() -> Double? {
        guard let text = text(expecting: "a number") else { return nil }
        guard let value = Self.parseNumber(text) else {
            error("invalid number \"\(text)\"")
            return nil
        }
        return value
    }

    static func parseNumber(_ text: String) -> Double? {
        let trimmed = text.trimmingSpaces
        switch trimmed.lowercased() {
        case ".inf", "+.inf", "inf", "+inf": return .infinity
        case "-.inf", "-inf": return -.infinity
        case ".nan", "nan": return .nan
        default: return trimmed.isEmpty ? nil : Double(trimmed)
        }
    }

    func bool() -> Bool? {
        guard let text = text(expecting: "a boolean") else { return nil }
        switch text.trimmingSpaces.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error("invalid boolean \"\(text)\" (use true or false)")
            return nil
        }
    }

    /// A Prometheus duration in milliseconds.
    func duration(positive: Bool = false) -> Int64? {
        guard let text = text(expecting: "a duration") else { return nil }
        let value: Int64
        switch PromDuration.parseChecked(text.trimmingSpaces) {
        case .success(let milliseconds): value = milliseconds
        case .failure(.outOfRange):
            error("duration \"\(text)\" is out of range (at most \(PromDuration.format(PromDuration.maxMilliseconds)))")
            return nil
        case .failure(.syntax):
            error("invalid duration \"\(text)\" (use e.g. 30s, 5m, 1h30m)")
            return nil
        }
        if positive, value == 0 {
            error("must be greater than 0s")
            return nil
        }
        return value
    }

    func sequence() -> [Cursor]? {
        guard case .sequence(let items) = node else {
            error("expected a list, got \(kindName)")
            return nil
        }
        return items.enumerated().map { element($0.offset, $0.element) }
    }

    func stringList() -> [String]? {
        guard let items = sequence() else { return nil }
        return items.compactMap { $0.string() }
    }

    /// A mapping with free keys (label sets, headers, channel names), duplicates reported.
    func entries() -> [(key: String, keyPosition: SourcePosition, value: Cursor)]? {
        guard case .mapping(let mapping) = node else {
            error("expected a mapping, got \(kindName)")
            return nil
        }
        let pairs = Array(mapping)
        var result: [(key: String, keyPosition: SourcePosition, value: Cursor)] = []
        var merged: [(key: String, keyPosition: SourcePosition, value: Cursor)] = []
        for (index, pair) in pairs.enumerated() {
            let keyPosition = context.position(of: pair.key)
            guard case .scalar(let keyScalar) = pair.key else {
                error("mapping keys must be strings", at: keyPosition)
                continue
            }
            if let original = context.document.originalKey(keyScalar.string) {
                reportDuplicate(original, firstAt: keyPosition, in: pairs[(index + 1)...])
                continue
            }
            if pair.key.tag.rawValue == Tag.Name.merge.rawValue {
                var budget = Self.mergeBudget
                merged += mergedEntries(pair.value, at: keyPosition, depth: 1, budget: &budget) ?? []
                continue
            }
            result.append((keyScalar.string, keyPosition, child(keyScalar.string, pair.value)))
        }
        // YAML merge keys (`<<: *defaults`), as Prometheus' and Alertmanager's YAML libraries read
        // them: keys written in the mapping win over merged ones, and among merged maps the first.
        var present = Set(result.map(\.key))
        for entry in merged where !present.contains(entry.key) {
            present.insert(entry.key)
            result.append(entry)
        }
        return result
    }

    /// Merge keys nest at most this deep and bring at most this many entries into one mapping, so
    /// merges of merges of aliases cannot make a small file walk billions of entries.
    static let mergeDepth = 16
    static let mergeBudget = 10_000

    /// The entries a merge key's value brings: a mapping (its own keys first, then what it merges)
    /// or a list of mappings, earlier first. Nil (reported at `at`) for anything else or past a bound.
    private func mergedEntries(_ value: Node, at: SourcePosition, depth: Int, budget: inout Int)
        -> [(key: String, keyPosition: SourcePosition, value: Cursor)]?
    {
        guard depth <= Self.mergeDepth else {
            error("merge keys (<<) nest more than \(Self.mergeDepth) levels deep", at: at)
            return nil
        }
        switch value {
        case .mapping(let mapping):
            var own: [(key: String, keyPosition: SourcePosition, value: Cursor)] = []
            var nested: [(key: String, keyPosition: SourcePosition, value: Cursor)] = []
            for pair in mapping {
                guard case .scalar(let keyScalar) = pair.key, context.document.originalKey(keyScalar.string) == nil else {
                    continue  // reported where the merged mapping is written
                }
                budget -= 1
                guard budget >= 0 else {
                    error("merge keys (<<) bring more than \(Self.mergeBudget) entries into one mapping", at: at)
                    return nil
                }
                if pair.key.tag.rawValue == Tag.Name.merge.rawValue {
                    guard let inner = mergedEntries(pair.value, at: at, depth: depth + 1, budget: &budget) else { return nil }
                    nested += inner
                } else {
                    own.append((keyScalar.string, context.position(of: pair.key), child(keyScalar.string, pair.value)))
                }
            }
            return own + nested
        case .sequence(let items):
            var all: [(key: String, keyPosition: SourcePosition, value: Cursor)] = []
            for item in items {
                guard case .mapping = item else {
                    error("a merge key (<<) takes a mapping or a list of mappings", at: at)
                    return nil
                }
                guard let entries = mergedEntries(item, at: at, depth: depth, budget: &budget) else { return nil }
                all += entries
            }
            return all
        default:
            error("a merge key (<<) takes a mapping or a list of mappings", at: at)
            return nil
        }
    }

    private func reportDuplicate(_ key: String, firstAt first: SourcePosition,
                                 in later: ArraySlice<(key: Node, value: Node)>) {
        let next = later.first { pair in
            guard let text = pair.key.scalar?.string else { return false }
            return text == key || context.document.originalKey(text) == key
        }
        let at = next.map { context.position(of: $0.key) } ?? first
        context.sink.report(at, path, "duplicate key \"\(key)\" (first at line \(first.line), column \(first.column))")
    }

    /// A mapping with a fixed set of keys; unknown keys are reported with a suggestion.
    /// `aliases` maps another tool's name for a key (Alertmanager's `receiver`) to the hint shown.
    func fields(_ allowed: [String], aliases: [String: String] = [:]) -> Fields? {
        guard let entries = entries() else { return nil }
        var values: [String: Cursor] = [:]
        var keyPositions: [String: SourcePosition] = [:]
        for entry in entries {
            guard allowed.contains(entry.key) else {
                var message = "unknown key \"\(entry.key)\""
                if let hint = aliases[entry.key] {
                    message += " (\(hint))"
                } else if let suggestion = Suggestion.closest(to: entry.key, among: allowed) {
                    message += " (did you mean \"\(suggestion)\"?)"
                }
                error(message, at: entry.keyPosition)
                continue
            }
            keyPositions[entry.key] = entry.keyPosition
            if !entry.value.isNull { values[entry.key] = entry.value }
        }
        return Fields(owner: self, values: values, keyPositions: keyPositions)
    }

    /// A mapping of label names to strings (labels, external labels, match maps).
    /// `__name__` is not a label one can set here, except as an annotation name.
    func labelMap(validateTemplates: Bool = false, annotations: Bool = false) -> [String: String]? {
        guard let entries = entries() else { return nil }
        var result: [String: String] = [:]
        for entry in entries {
            if !LabelName.isValid(entry.key) || (!annotations && entry.key == "__name__") {
                error("invalid label name \"\(entry.key)\"", at: entry.keyPosition)
            }
            guard let value = entry.value.string() else { continue }
            if validateTemplates { entry.value.validate(template: value) }
            result[entry.key] = value
        }
        return result
    }
}

extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice.removeFirst() }
        while slice.last?.isWhitespace == true { slice.removeLast() }
        return String(slice)
    }
}

extension DecodeContext {
    func position(of node: Node) -> SourcePosition {
        SourcePosition(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }
}

/// Durations as written in configs: Prometheus syntax, plus surrounding spaces tolerated.
enum PromDurationText {
    static func parse(_ text: String) -> Int64? { PromDuration.parse(text.trimmingSpaces) }
}
