import Model

/// A Go `text/template` as Prometheus evaluates alert labels and annotations: `{{ $labels.x }}`,
/// `{{ $value | humanize }}`, `if`/`with`/`range`, trimming, comparison and Prometheus' functions.
/// Parse once, expand per alert; a value type, safe to share.
public struct Template: Sendable {
    /// The source text.
    public let text: String
    let nodes: [TemplateNode]
    /// Templates the text defines with `{{define}}` or `{{block}}`, for `{{template}}`.
    let definitions: [String: [TemplateNode]]
    /// Whether the text has no actions, so expanding is the identity.
    let isPlain: Bool

    /// Parses `text`; the error carries the line and column within `text`.
    public static func parse(_ text: String) throws(TemplateError) -> Template {
        var parser = try TemplateParser(text)
        let nodes = try parser.parse()
        let plain = !text.contains("{{")
        return Template(text: text, nodes: nodes, definitions: parser.definitions, isPlain: plain)
    }

    /// Prometheus prepends these definitions; error columns on line 1 count them.
    static let prometheusPrefix = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}"

    /// Expands for one alert. `name` is Prometheus' template name (`__alert_<alertname>`), used
    /// in error messages. Throws `TemplateExpansionError` with Go's wording.
    public func expand(_ data: AlertTemplateData, name: String, query: QueryFunc? = nil,
                       at timestamp: Timestamp = 0) throws(TemplateExpansionError) -> String {
        if isPlain { return text }
        let labels = TemplateValue.stringMap(data.labels.dictionary)
        let external = TemplateValue.stringMap(data.externalLabels.dictionary)
        let root = TemplateValue.record(typeName: "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }",
                                        fields: [("Labels", labels), ("ExternalLabels", external),
                                                 ("ExternalURL", .string(data.externalURL)), ("Value", .float(data.value))])
        let environment = TemplateEnvironment(query: query, timestamp: timestamp, externalURL: data.externalURL)
        var executor = TemplateExecutor(environment: environment, root: root, definitions: definitions, variables: [
            ("$labels", labels), ("$externalLabels", external), ("$externalURL", .string(data.externalURL)), ("$value", .float(data.value)),
        ])
        do throws(TemplateExecError) {
            try executor.run(nodes, dot: root)
        } catch {
            let (line, column) = position(of: error.offset)
            throw TemplateExpansionError(message: "error executing template \(name): template: \(name):\(line):\(column): executing \"\(name)\" at <\(error.context)>: \(error.message)")
        }
        return executor.output
    }

    /// Go reports 0-based byte columns on the text with Prometheus' prefix in front of line 1.
    private func position(of offset: Int) -> (Int, Int) {
        var line = 1, column = 0
        for ch in text.prefix(offset) {
            if ch.isNewline { line += 1; column = 0 } else { column += ch.utf8.count }
        }
        if line == 1 { column += Template.prometheusPrefix.utf8.count }
        return (line, column)
    }
}

/// What a template sees of an alert.
public struct AlertTemplateData: Sendable {
    /// `$labels` / `.Labels`.
    public var labels: Labels
    /// `$externalLabels` / `.ExternalLabels`.
    public var externalLabels: Labels
    /// `$externalURL` / `.ExternalURL`.
    public var externalURL: String
    /// `$value` / `.Value`.
    public var value: Double

    /// Creates the data.
    public init(labels: Labels, externalLabels: Labels = Labels(), externalURL: String = "", value: Double) {
        self.labels = labels
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.value = value
    }
}

/// A template failed while executing (bad argument type, failing query, …); the message is Go's.
public struct TemplateExpansionError: Error, Sendable, CustomStringConvertible {
    /// Go's message, e.g. `error executing template __alert_X: template: __alert_X:1:120: executing … error calling humanize: …`.
    public var message: String
    public var description: String { message }
}
