import Model
import Storage

/// A rule with its templates parsed once, and its persistence key.
struct CompiledRule: Sendable {
    let spec: RuleSpec
    /// Identifies the rule's alerts in the state table: file, group, name (and occurrence, for repeated names).
    let key: String
    let labelTemplates: [(String, Result<Template, TemplateError>)]
    let annotationTemplates: [(String, Result<Template, TemplateError>)]

    init(spec: RuleSpec, key: String) {
        self.spec = spec
        self.key = key
        labelTemplates = spec.labels.keys.sorted().map { name in (name, CompiledRule.parse(spec.labels[name]!)) }
        annotationTemplates = spec.annotations.keys.sorted().map { name in (name, CompiledRule.parse(spec.annotations[name]!)) }
    }

    static func parse(_ text: String) -> Result<Template, TemplateError> {
        do throws(TemplateError) { return .success(try Template.parse(text)) } catch { return .failure(error) }
    }

    /// Keys for every rule of a group, numbering repeated names so each stays distinct.
    static func compile(_ group: GroupSpec) -> [CompiledRule] {
        var seen: [String: Int] = [:]
        return group.rules.map { rule in
            let count = seen[rule.name, default: 0] + 1
            seen[rule.name] = count
            let key = "\(group.file)#\(group.name)#\(rule.name)" + (count > 1 ? "#\(count)" : "")
            return CompiledRule(spec: rule, key: key)
        }
    }

    /// Expands one template the way Prometheus does: a failure becomes the value, not an error.
    static func expand(_ template: Result<Template, TemplateError>, _ data: AlertTemplateData, rule: String,
                       query: @escaping QueryFunc, at ts: Timestamp) -> String {
        switch template {
        case .failure(let error):
            return "<error expanding template: template: __alert_\(rule):\(error.line): \(error.message)>"
        case .success(let template):
            do throws(TemplateExpansionError) {
                return try template.expand(data, name: "__alert_\(rule)", query: query, at: ts)
            } catch {
                return "<error expanding template: \(error.message)>"
            }
        }
    }
}

/// A rule evaluation that failed, with Prometheus' wording.
struct RuleEvaluationError: Error, CustomStringConvertible {
    var description: String
}
