import Model

/// Checks on the overview page and the per-check page: state, reason, uptime bar, latency line.
extension Page {
    mutating func checks(_ checks: [CheckStatus], now: Timestamp) {
        section("Checks", count: checks.count)
        guard !checks.isEmpty else { html += "<p class=\"muted\">No checks configured.</p>"; return }
        if let first = checks.first, !first.buckets.isEmpty {
            let window = Int64(first.buckets.count) * first.bucketMilliseconds
            html += "<p class=\"muted small\">Bars: uptime over the last \(HTML.age(window)), oldest left. Lines: average latency per bar.</p>"
        }
        // Failing checks first, so a phone shows what is wrong without scrolling.
        let ordered = checks.filter { $0.up == false } + checks.filter { $0.up != false }
        for check in ordered { checkRow(check, now: now) }
    }

    private mutating func checkRow(_ check: CheckStatus, now: Timestamp) {
        let state = check.up.map { $0 ? "up" : "down" } ?? "unknown"
        html += "<div class=\"check\"><div><span class=\"pill \(state)\">\(state)</span> "
        html += "<a class=\"name\" href=\"/checks/\(HTML.pathSegment(check.name))\">\(HTMLText.escape(check.name))</a>"
        html += " <span class=\"muted small\">\(HTMLText.escape(check.target))</span></div><div class=\"meta small\">"
        if let latency = check.latencySeconds { html += HTML.latency(latency) }
        if let uptime = check.uptimeRatio { html += " · \(HTML.percent(uptime))" }
        if let since = check.since { html += "<br><span class=\"muted\">\(state) \(HTML.age(now - since))</span>" }
        html += "</div>"
        if check.up == false, !check.reason.isEmpty { html += "<div class=\"why small\">\(HTMLText.escape(check.reason))</div>" }
        uptimeBar(check, detailed: false)
        sparkline(check.latencies, cssClass: "spark", height: 28)
        html += "</div>"
    }

    mutating func checkDetail(_ check: CheckStatus, now: Timestamp) {
        let state = check.up.map { $0 ? "up" : "down" } ?? "unknown"
        html += "<h2>\(HTMLText.escape(check.name)) <span class=\"pill \(state)\">\(state)</span></h2>"
        html += "<p class=\"muted\">\(HTMLText.escape(check.target))</p><p>"
        if let since = check.since { html += "\(state.capitalized) since \(HTML.since(since, now: now))" }
        if let last = check.lastCheck { html += " · last probe \(HTML.since(last, now: now))" }
        if let latency = check.latencySeconds { html += " · \(HTML.latency(latency))" }
        if let uptime = check.uptimeRatio { html += " · uptime \(HTML.percent(uptime))" }
        html += "</p>"
        if check.up == false, !check.reason.isEmpty {
            html += "<p style=\"color:var(--bad)\">\(HTMLText.escape(check.reason))</p>"
        }
        let window = Int64(check.buckets.count) * check.bucketMilliseconds
        html += "<h2>Uptime <span class=\"muted small\">(last \(HTML.age(window)), \(check.buckets.count) bars)</span></h2>"
        uptimeBar(check, detailed: true)
        let latencies = check.latencies.compactMap { $0 }
        // Each point is the average latency of one bar's probes, not a single probe.
        let bucket = HTML.age(check.bucketMilliseconds)
        html += "<h2>Latency <span class=\"muted small\">(average per \(bucket), last \(HTML.age(window))"
        if let peak = latencies.max(), let low = latencies.min() { html += ", \(HTML.latency(low))–\(HTML.latency(peak))" }
        html += ")</span></h2>"
        sparkline(check.latencies, cssClass: "chart", height: 120)
        outages(check.outages, window: window, now: now)
        history(check.history, now: now)
    }

    private mutating func outages(_ outages: [CheckStatus.Outage], window: Int64, now: Timestamp) {
        html += "<h2>Outages <span class=\"muted small\">(last \(HTML.age(window)): \(outages.count))</span></h2>"
        guard !outages.isEmpty else { html += "<p class=\"muted\">None.</p>"; return }
        html += "<table><tr><th>Began</th><th>Lasted</th><th>Why</th></tr>"
        for outage in outages {
            html += "<tr><td class=\"small\">"
            html += outage.start.map(HTML.time) ?? "before the window"
            html += "</td><td class=\"nw\">"
            if let start = outage.start {
                html += outage.end.map { HTML.age($0 - start) } ?? "ongoing, \(HTML.age(now - start))"
            } else {
                html += outage.end == nil ? "ongoing" : "–"
            }
            let probes = outage.failures == 1 ? "1 failed probe" : "\(outage.failures) failed probes"
            html += "<div class=\"muted small\">\(probes)</div></td><td class=\"small\">"
            html += outage.reason.isEmpty ? "<span class=\"muted\">not kept</span>" : HTMLText.escape(outage.reason)
            html += "</td></tr>"
        }
        html += "</table>"
    }

    private mutating func history(_ events: [CheckStatus.Event], now: Timestamp) {
        html += "<h2>History <span class=\"muted small\">(\(events.count))</span></h2>"
        guard !events.isEmpty else { html += "<p class=\"muted\">No probes recorded yet.</p>"; return }
        html += "<table><tr><th>When</th><th>Result</th><th>Latency</th><th class=\"hide-sm\">Status</th></tr>"
        for event in events {
            html += "<tr><td class=\"small\">\(HTML.time(event.time))</td><td>"
            html += event.success ? "<span class=\"pill up\">ok</span>" : "<span class=\"pill down\">failed</span>"
            if !event.reason.isEmpty { html += "<div class=\"small\">\(HTMLText.escape(event.reason))</div>" }
            html += "</td><td class=\"nw\">\(HTML.latency(event.seconds))</td><td class=\"hide-sm\">\(event.statusCode.map(String.init) ?? "–")</td></tr>"
        }
        html += "</table>"
    }

    /// The uptime bar. The overview draws one path per colour (four elements per check instead
    /// of ninety); the detailed bar draws a rect per bucket with a tooltip.
    private mutating func uptimeBar(_ check: CheckStatus, detailed: Bool) {
        let count = max(check.buckets.count, 1)
        html += "<svg class=\"bar\" viewBox=\"0 0 \(count * 4) 22\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"uptime "
        html += check.uptimeRatio.map(HTML.percent) ?? "unknown"
        html += "\">"
        if detailed {
            for (index, bucket) in check.buckets.enumerated() {
                html += "<rect x=\"\(index * 4)\" width=\"3\" height=\"22\" class=\"\(Page.bucketClass(bucket))\"><title>"
                html += "\(HTML.time(bucket.start)): "
                html += bucket.ratio.map { "\(HTML.percent($0)) of \(bucket.total)" } ?? "no data"
                html += "</title></rect>"
            }
        } else {
            var paths = ["b1": "", "b2": "", "b3": "", "b0": ""]
            for (index, bucket) in check.buckets.enumerated() {
                paths[Page.bucketClass(bucket), default: ""] += "M\(index * 4) 0h3v22h-3z"
            }
            for cssClass in ["b1", "b2", "b3", "b0"] where !(paths[cssClass] ?? "").isEmpty {
                html += "<path class=\"\(cssClass)\" d=\"\(paths[cssClass]!)\"/>"
            }
        }
        html += "</svg>"
    }

    /// Green when every probe succeeded, amber from 90%, red below, grey without data.
    static func bucketClass(_ bucket: CheckStatus.Bucket) -> String {
        switch bucket.ratio {
        case nil: "b0"
        case let ratio? where ratio >= 1: "b1"
        case let ratio? where ratio >= 0.9: "b2"
        default: "b3"
        }
    }

    /// A line of latencies scaled to the largest; failed probes (nil) break the line.
    private mutating func sparkline(_ values: [Double?], cssClass: String, height: Int) {
        let peak = values.compactMap { $0 }.max() ?? 0
        let width = max(values.count - 1, 1) * 10
        html += "<svg class=\"\(cssClass)\" viewBox=\"0 0 \(width) \(height)\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"latency, peak \(HTML.latency(peak))\">"
        guard peak > 0 else { html += "</svg>"; return }
        html += "<path class=\"line\" d=\""
        var penDown = false
        let usable = Double(height - 2)
        for (index, value) in values.enumerated() {
            guard let value, value.isFinite else { penDown = false; continue }
            let y = 1 + Int((usable - value / peak * usable).rounded())
            html += penDown ? "L" : "M"
            html += String(index * 10)
            html += " "
            html += String(y)
            penDown = true
        }
        html += "\"/></svg>"
    }
}
