/// Decoding of `alerts:` (shorthand rules).
enum AlertDecoder {
    static let kindKeys = ["check_failing", "error_rate", "latency", "daily_cost", "expr"]
    static let keys = ["name"] + kindKeys + [
        "above", "below", "for", "keep_firing_for", "severity", "labels", "annotations",
    ]

    static func decode(_ cursor: Cursor) -> AlertConfig? {
        guard let fields = cursor.fields(keys) else { return nil }
        let name = fields.requiredString("name")
        let kind = decodeKind(fields)
        let threshold = decodeThreshold(fields, kind: kind)
        let labels = fields.labelMap("labels", templates: true) ?? [:]
        let annotations = fields.labelMap("annotations", templates: true) ?? [:]
        if labels["severity"] != nil, fields.has("severity"), let node = fields["severity"] {
            node.error("severity is set twice: here and in labels")
        }
        guard let name, let kind else { return nil }
        return AlertConfig(
            name: name, kind: kind, threshold: threshold,
            forDuration: fields.duration("for") ?? 0, keepFiringFor: fields.duration("keep_firing_for") ?? 0,
            severity: fields["severity"]?.nonEmptyString(), labels: labels, annotations: annotations,
            position: cursor.position)
    }

    private static func decodeKind(_ fields: Fields) -> AlertConfig.Kind? {
        let present = kindKeys.filter(fields.has)
        guard present.count == 1, let key = present.first, let node = fields[key] else {
            if present.isEmpty {
                fields.owner.error("missing the condition: set one of check_failing, error_rate, latency, daily_cost or expr")
            } else {
                fields.exclusive(present)
            }
            return nil
        }
        switch key {
        case "check_failing": return node.nonEmptyString().map { .checkFailing(check: $0) }
        case "error_rate": return decodeErrorRate(node).map { .errorRate($0) }
        case "latency": return decodeLatency(node).map { .latency($0) }
        case "daily_cost": return decodeDailyCost(node).map { .dailyCost($0) }
        default:
            guard let expr = node.nonEmptyString() else { return nil }
            node.validate(promql: expr)
            return .expr(expr)
        }
    }

    private static func selector(_ fields: Fields, _ key: String) -> String? {
        guard let node = fields.required(key), let text = node.nonEmptyString() else { return nil }
        node.validate(promql: text)
        return text
    }

    private static func decodeErrorRate(_ cursor: Cursor) -> AlertConfig.ErrorRate? {
        guard let fields = cursor.fields(["total", "errors", "window", "by"]) else { return nil }
        let total = selector(fields, "total")
        let errors = selector(fields, "errors")
        let by = fields.stringList("by") ?? []
        if let list = fields["by"]?.sequence() {
            for (node, name) in zip(list, by) where !LabelName.isValid(name) { node.error("invalid label name \"\(name)\"") }
        }
        let window = fields.duration("window", positive: true) ?? 300_000
        guard let total, let errors else { return nil }
        return AlertConfig.ErrorRate(total: total, errors: errors, window: window, by: by)
    }

    private static func decodeLatency(_ cursor: Cursor) -> AlertConfig.Latency? {
        guard let fields = cursor.fields(["histogram", "quantile", "window"]) else { return nil }
        let histogram = selector(fields, "histogram")
        var quantile: Double?
        if let node = fields.required("quantile"), let value = node.double() {
            if (0...1).contains(value) { quantile = value } else { node.error("quantile must be between 0 and 1, got \(Self.format(value))") }
        }
        let window = fields.duration("window", positive: true) ?? 300_000
        guard let histogram, let quantile else { return nil }
        return AlertConfig.Latency(histogram: histogram, quantile: quantile, window: window)
    }

    private static func decodeDailyCost(_ cursor: Cursor) -> AlertConfig.DailyCost? {
        guard let fields = cursor.fields(["counter", "series"]) else { return nil }
        guard fields.exclusive(["counter", "series"]) else { return nil }
        if fields.has("counter") { return selector(fields, "counter").map { .counter($0) } }
        if fields.has("series") { return selector(fields, "series").map { .series($0) } }
        cursor.error("set \"counter\" (a counter selector) or \"series\" (a gauge holding today's total)")
        return nil
    }

    /// `above`/`below`: numbers, or durations meaning seconds (`above: 5s` is 5).
    private static func decodeThreshold(_ fields: Fields, kind: AlertConfig.Kind?) -> AlertConfig.Threshold? {
        let present = ["above", "below"].filter(fields.has)
        let needsThreshold: Bool
        switch kind {
        case .errorRate?, .latency?, .dailyCost?: needsThreshold = true
        case .checkFailing?, .expr?: needsThreshold = false
        case nil: needsThreshold = !present.isEmpty
        }
        if !needsThreshold {
            if let key = present.first {
                fields.owner.error("\"\(key)\" does not apply here: check_failing and expr carry their own condition",
                                   at: fields.keyPositions[key]!)
            }
            return nil
        }
        if present.count == 2 {
            fields.owner.error("set either \"above\" or \"below\", not both", at: fields.keyPositions["below"]!)
            return nil
        }
        guard let key = present.first, let node = fields[key] else {
            if kind != nil { fields.owner.error("missing the threshold: set \"above\" or \"below\"") }
            return nil
        }
        guard let value = thresholdValue(node) else { return nil }
        return key == "above" ? .above(value) : .below(value)
    }

    static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func thresholdValue(_ node: Cursor) -> Double? {
        guard let text = node.text(expecting: "a number or a duration") else { return nil }
        if let number = Cursor.parseNumber(text) { return number }
        if let milliseconds = PromDurationText.parse(text) { return Double(milliseconds) / 1000 }
        node.error("invalid threshold \"\(text)\" (want a number or a duration such as 5s)")
        return nil
    }
}
