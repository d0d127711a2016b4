/// Decoding of Prometheus rule files, with rulefmt's checks.
enum RuleFileDecoder {
    static func decode(path: String, root: Cursor?) -> RuleFile {
        var file = RuleFile(path: path, groups: [])
        guard let root, let fields = root.fields(["groups"]) else { return file }
        var seen: [String: SourcePosition] = [:]
        for node in fields["groups"]?.sequence() ?? [] {
            guard let group = decodeGroup(node) else { continue }
            if let first = seen[group.name] {
                node.error("duplicate group name \"\(group.name)\" (first at line \(first.line))")
            } else {
                seen[group.name] = group.position
            }
            file.groups.append(group)
        }
        return file
    }

    private static func decodeGroup(_ cursor: Cursor) -> RuleGroup? {
        let keys = ["name", "interval", "limit", "rules", "query_offset", "labels"]
        guard let fields = cursor.fields(keys) else { return nil }
        let name = fields.requiredString("name")
        let interval = fields.duration("interval", positive: true)
        let limit = fields.int("limit", in: 0...Int.max) ?? 0
        let queryOffset = fields.duration("query_offset") ?? 0
        let labels = fields.labelMap("labels") ?? [:]
        let rules = fields.required("rules")?.sequence()?.compactMap(decodeRule) ?? []
        guard let name else { return nil }
        return RuleGroup(name: name, interval: interval, limit: limit, queryOffset: queryOffset, labels: labels,
                         rules: rules, position: cursor.position)
    }

    private static func decodeRule(_ cursor: Cursor) -> RuleDefinition? {
        let keys = ["alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"]
        guard let fields = cursor.fields(keys) else { return nil }
        var kind: RuleDefinition.Kind?
        switch (fields["alert"], fields["record"]) {
        case (let alert?, nil): kind = alert.nonEmptyString().map { .alert($0) }
        case (nil, let record?):
            if let name = record.nonEmptyString() {
                if LabelName.isValidMetricName(name) { kind = .record(name) }
                else { record.error("invalid recording rule name \"\(name)\" (must be a valid metric name)") }
            }
            for key in ["for", "keep_firing_for", "annotations"] where fields.has(key) {
                cursor.error("\"\(key)\" is not allowed on a recording rule", at: fields.keyPositions[key]!)
            }
        case (.some, .some):
            cursor.error("set either \"alert\" or \"record\", not both", at: fields.keyPositions["record"]!)
        case (nil, nil):
            cursor.error("missing \"alert\" or \"record\"")
        }
        var expr: String?
        if let node = fields.required("expr"), let text = node.nonEmptyString() {
            node.validate(promql: text)
            expr = text
        }
        let isAlert = fields.has("alert")
        let labels = fields.labelMap("labels", templates: isAlert) ?? [:]
        let annotations = fields.labelMap("annotations", templates: true) ?? [:]
        guard let kind, let expr, let exprNode = fields["expr"] else { return nil }
        return RuleDefinition(
            kind: kind, expr: expr, exprPosition: exprNode.position,
            forDuration: fields.duration("for") ?? 0, keepFiringFor: fields.duration("keep_firing_for") ?? 0,
            labels: labels, annotations: annotations, position: cursor.position)
    }
}
