import Yams

/// promtool reads test files with `yaml.UnmarshalStrict`, so a misspelt key (`exp_annotation`,
/// `eval_tme`) fails the file instead of silently dropping the check it was meant to make. Swift's
/// `Decodable` ignores unknown keys; this walk finds them first and words them as promtool does
/// (`line 13: field exp_annotation not found in type main.alert`).
enum UnitTestKeyCheck {
    /// One mapping type of promtool's test-file schema: its Go type name and its keys, each with
    /// the schema of the list items it holds (nil: a scalar or a free-form map).
    private struct Schema {
        let goType: String
        let keys: [String: Schema?]
    }

    private static let sample = Schema(goType: "main.sample", keys: ["labels": nil, "value": nil])
    private static let exprTest = Schema(goType: "main.promqlTestCase",
                                         keys: ["expr": nil, "eval_time": nil, "exp_samples": sample])
    private static let alert = Schema(goType: "main.alert", keys: ["exp_labels": nil, "exp_annotations": nil])
    private static let alertTest = Schema(goType: "main.alertTestCase",
                                          keys: ["eval_time": nil, "alertname": nil, "exp_alerts": alert])
    private static let series = Schema(goType: "main.series", keys: ["series": nil, "values": nil])
    private static let group = Schema(goType: "main.testGroup", keys: [
        "interval": nil, "input_series": series, "alert_rule_test": alertTest, "promql_expr_test": exprTest,
        "external_labels": nil, "external_url": nil, "name": nil,
    ])
    private static let file = Schema(goType: "main.unitTestFile", keys: [
        "rule_files": nil, "evaluation_interval": nil, "group_eval_order": nil, "tests": group,
    ])

    /// promtool's error for the unknown keys of `text`, in document order, or nil when there are
    /// none (or the text does not compose: the decoder reports that).
    static func unknownKeys(in text: String) -> String? {
        guard let root = try? Yams.compose(yaml: text) else { return nil }
        var lines: [String] = []
        walk(root, file, into: &lines)
        guard !lines.isEmpty else { return nil }
        return "yaml: unmarshal errors:\n" + lines.map { "  " + $0 }.joined(separator: "\n")
    }

    private static func walk(_ node: Node, _ schema: Schema, into lines: inout [String], depth: Int = 0) {
        guard let mapping = node.mapping, depth < 64 else { return }
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { continue }
            if key.tag.rawValue == Tag.Name.merge.rawValue {
                // `<<: *defaults`: the merged mappings' keys belong to this mapping.
                for merged in value.sequence.map(Array.init) ?? [value] { walk(merged, schema, into: &lines, depth: depth + 1) }
                continue
            }
            guard let itemSchema = schema.keys[name] else {
                lines.append("line \(key.mark?.line ?? 0): field \(name) not found in type \(schema.goType)")
                continue
            }
            guard let itemSchema, let items = value.sequence else { continue }
            for item in items { walk(item, itemSchema, into: &lines, depth: depth + 1) }
        }
    }
}
