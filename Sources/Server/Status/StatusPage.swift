import Model

/// The status page: server-rendered HTML with inline CSS and SVG, nothing loaded from elsewhere,
/// no scripts. Every string from a snapshot (names, labels, reasons) is escaped.
public enum StatusPage {
    /// The overview page: checks, alerts, targets, silences, notifications.
    public static func render(_ snapshot: StatusSnapshot) -> String {
        var page = Page(capacity: 4096 + snapshot.checks.count * 3500)
        let down = snapshot.checks.filter { $0.up == false }.count
        let firing = snapshot.alerts.filter { $0.state == .firing }.count
        page.begin(title: down + firing == 0 ? "Lookout · all good" : "Lookout · \(down) down, \(firing) firing", snapshot: snapshot)
        page.summary(snapshot, down: down, firing: firing)
        page.checks(snapshot.checks, now: snapshot.generatedAt)
        page.alerts(snapshot.alerts, now: snapshot.generatedAt)
        page.targets(snapshot.targets, now: snapshot.generatedAt)
        page.silences(snapshot.silences, now: snapshot.generatedAt)
        page.notifications(snapshot.notifications, queue: snapshot.queue, now: snapshot.generatedAt)
        page.end()
        return page.html
    }

    /// The page of one check: its state, uptime bar with per-bucket detail, latency chart and history.
    public static func renderCheck(_ check: CheckStatus, snapshot: StatusSnapshot) -> String {
        var page = Page(capacity: 16_384)
        page.begin(title: "Lookout · \(check.name)", snapshot: snapshot)
        page.html += "<p><a href=\"/\">← all checks</a></p>"
        page.checkDetail(check, now: snapshot.generatedAt)
        page.end()
        return page.html
    }

    static func notFound(_ name: String) -> String {
        var page = Page(capacity: 2048)
        page.begin(title: "Lookout · not found", snapshot: StatusSnapshot(generatedAt: 0))
        page.html += "<p>No check named <b>\(HTMLText.escape(name))</b>. <a href=\"/\">All checks</a></p>"
        page.end()
        return page.html
    }
}

/// The page being written; sections append to `html`.
struct Page {
    var html: String

    init(capacity: Int) {
        html = ""
        html.reserveCapacity(capacity)
    }

    static let style = """
    :root{color-scheme:light dark;--ok:#2da44e;--warn:#d4a72c;--bad:#cf222e;--none:#8c959f55;--muted:#6e7781}
    *{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:12px;max-width:1100px;margin-inline:auto}
    h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.1em;margin:1.4em 0 .5em;border-bottom:1px solid var(--none);padding-bottom:.2em}
    a{color:inherit}.muted{color:var(--muted)}.small{font-size:.85em}
    .pill{display:inline-block;white-space:nowrap;border-radius:1em;padding:0 .6em;font-size:.85em;font-weight:600;color:#fff;background:var(--muted)}
    .pill.up,.pill.ok,.pill.sent,.pill.active{background:var(--ok)}.pill.down,.pill.firing,.pill.failed{background:var(--bad)}
    .pill.pending,.pill.retrying,.pill.queued{background:var(--warn)}
    .check{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:2px 12px;padding:8px 0;border-bottom:1px solid var(--none)}
    .check .name{font-weight:600;overflow-wrap:anywhere}.check .meta{text-align:right;white-space:nowrap}
    .check .why{grid-column:1/-1;color:var(--bad);overflow-wrap:anywhere}
    .check svg{grid-column:1/-1}svg.bar,svg.spark,svg.chart{width:100%;display:block}.nw{white-space:nowrap}
    svg.bar{height:22px}svg.spark{height:28px}svg.chart{height:120px}
    .b1{fill:var(--ok)}.b2{fill:var(--warn)}.b3{fill:var(--bad)}.b0{fill:var(--none)}
    .line{fill:none;stroke:#0969da;stroke-width:1.5;vector-effect:non-scaling-stroke}
    table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px 4px 0;border-bottom:1px solid var(--none);vertical-align:top;overflow-wrap:anywhere}th{white-space:nowrap}
    .labels span{display:inline-block;background:var(--none);border-radius:4px;padding:0 4px;margin:1px;font-size:.85em}
    @media (max-width:600px){body{padding:8px}.hide-sm{display:none}td,th{padding-right:4px}}
    """

    mutating func begin(title: String, snapshot: StatusSnapshot) {
        html += "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        html += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        html += "<meta http-equiv=\"refresh\" content=\"30\"><title>\(HTMLText.escape(title))</title><style>\(Page.style)</style></head><body>"
        html += "<header><h1><a href=\"/\" style=\"text-decoration:none\">Lookout</a></h1>"
        if snapshot.generatedAt > 0 {
            html += "<div class=\"muted small\">\(HTML.time(snapshot.generatedAt))"
            if !snapshot.version.isEmpty { html += " · v\(HTMLText.escape(snapshot.version))" }
            html += "</div>"
        }
        html += "</header><main>"
    }

    mutating func end() {
        html += "</main><footer class=\"muted small\"><p><a href=\"/metrics\">/metrics</a> · <a href=\"/api/v1/alerts\">alerts API</a> · <a href=\"/api/v2/silences\">silences API</a></p></footer></body></html>"
    }

    mutating func summary(_ snapshot: StatusSnapshot, down: Int, firing: Int) {
        let up = snapshot.checks.filter { $0.up == true }.count
        let pending = snapshot.alerts.filter { $0.state == .pending }.count
        html += "<p>"
        html += down == 0 ? "<span class=\"pill up\">all checks up</span> " : "<span class=\"pill down\">\(down) down</span> "
        html += "\(up)/\(snapshot.checks.count) checks up · "
        html += firing > 0 ? "<span class=\"pill firing\">\(firing) firing</span>" : "0 firing"
        html += " · \(pending) pending · queue \(snapshot.queue.length)</p>"
    }

    mutating func section(_ title: String, count: Int) {
        html += "<h2>\(title) <span class=\"muted small\">(\(count))</span></h2>"
    }

    /// Labels as small boxes, `alertname` first.
    mutating func labels(_ labels: Labels, skipping: Set<String> = []) {
        html += "<span class=\"labels\">"
        for label in labels where !skipping.contains(label.name) {
            html += "<span>\(HTMLText.escape(label.name))=\(HTMLText.escape(label.value))</span>"
        }
        html += "</span>"
    }
}
