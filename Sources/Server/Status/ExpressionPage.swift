import Model

/// `/graph?g0.expr=…`: where the "Source" link of every alert (its `generatorURL`, in Prometheus'
/// form) leads. Shows the expression and its value now, as a table; no scripts, like the status page.
extension StatusPage {
    /// The page for `expression`, evaluated at `now` to `result`, or the evaluation's `error`.
    static func renderExpression(_ expression: String, result: APIQueryResult?, error: String?, now: Timestamp) -> String {
        var page = Page(capacity: 8192)
        page.begin(title: "Lookout · expression", snapshot: StatusSnapshot(generatedAt: now))
        page.html += "<p><a href=\"/\">← status</a></p><h2>Expression</h2><pre style=\"white-space:pre-wrap\">"
        page.html += HTMLText.escape(expression) + "</pre>"
        if let error {
            page.html += "<p class=\"why\" style=\"color:var(--bad)\">\(HTMLText.escape(error))</p>"
        } else if let result {
            page.expressionResult(result)
        }
        page.html += "<p class=\"muted small\">As JSON: <a href=\"/api/v1/query?query=\(HTML.pathSegment(expression))\">/api/v1/query</a></p>"
        page.end()
        return page.html
    }
}

extension Page {
    mutating func expressionResult(_ result: APIQueryResult) {
        switch result {
        case .scalar(let sample):
            html += "<p>scalar: <b>\(ValueFormat.value(sample.value))</b></p>"
        case .string(_, let text):
            html += "<p>string: <b>\(HTMLText.escape(text))</b></p>"
        case .vector(let samples):
            section("Result", count: samples.count)
            guard !samples.isEmpty else { html += "<p class=\"muted\">Empty: no series match now.</p>"; return }
            html += "<table><tr><th>Series</th><th>Value</th></tr>"
            for item in samples.prefix(1000) {
                html += "<tr><td>"
                labels(item.labels)
                html += "</td><td class=\"nw\">\(ValueFormat.value(item.sample.value))</td></tr>"
            }
            html += "</table>"
        case .matrix(let series):
            section("Result", count: series.count)
            html += "<table><tr><th>Series</th><th>Last value</th></tr>"
            for item in series.prefix(1000) {
                html += "<tr><td>"
                labels(item.labels)
                html += "</td><td class=\"nw\">\(item.samples.last.map { ValueFormat.value($0.value) } ?? "")</td></tr>"
            }
            html += "</table>"
        }
    }
}
