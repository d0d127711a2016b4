import Model

/// The overview page's sections other than checks.
extension Page {
    mutating func alerts(_ alerts: [Alert], now: Timestamp) {
        let active = alerts.filter { $0.state != .inactive && !$0.isResolved }
            .sorted { ($0.state == .firing ? 0 : 1, $0.activeAt) < ($1.state == .firing ? 0 : 1, $1.activeAt) }
        section("Alerts", count: active.count)
        guard !active.isEmpty else { html += "<p class=\"muted\">No alerts are pending or firing.</p>"; return }
        html += "<table><tr><th>Alert</th><th>State</th><th class=\"hide-sm\">Labels</th></tr>"
        for alert in active {
            html += "<tr><td><b>\(HTMLText.escape(alert.name))</b>"
            if let summary = alert.annotations["summary"] { html += "<div class=\"small\">\(HTMLText.escape(summary))</div>" }
            html += "</td><td><span class=\"pill \(alert.state.rawValue)\">\(alert.state.rawValue)</span><div class=\"small muted\">"
            let since = alert.state == .firing ? (alert.firedAt ?? alert.activeAt) : alert.activeAt
            html += "since \(HTML.since(since, now: now))</div></td><td class=\"hide-sm\">"
            labels(alert.labels, skipping: ["alertname"])
            html += "</td></tr>"
        }
        html += "</table>"
    }

    mutating func targets(_ targets: [TargetInfo], now: Timestamp) {
        section("Targets", count: targets.count)
        guard !targets.isEmpty else { html += "<p class=\"muted\">No scrape targets.</p>"; return }
        html += "<table><tr><th>Target</th><th>State</th><th class=\"hide-sm\">Last scrape</th></tr>"
        for target in targets {
            html += "<tr><td><b>\(HTMLText.escape(target.job))</b> \(HTMLText.escape(target.labels["instance"] ?? ""))"
            html += "<div class=\"small muted\">\(HTMLText.escape(target.scrapeURL))</div>"
            if !target.lastError.isEmpty { html += "<div class=\"small\" style=\"color:var(--bad)\">\(HTMLText.escape(target.lastError))</div>" }
            html += "</td><td><span class=\"pill \(target.health.rawValue)\">\(target.health.rawValue)</span></td><td class=\"hide-sm small\">"
            if let last = target.lastScrape {
                html += "\(HTML.since(last, now: now)) · \(HTML.latency(target.lastScrapeSeconds))"
            } else {
                html += "never"
            }
            html += "</td></tr>"
        }
        html += "</table>"
    }

    mutating func silences(_ silences: [Silence], now: Timestamp) {
        let current = SilencesAPI.sorted(silences, now: now).filter { $0.state(at: now) != .expired }
        section("Silences", count: current.count)
        guard !current.isEmpty else { html += "<p class=\"muted\">No active silences.</p>"; return }
        html += "<table><tr><th>Matchers</th><th>Until</th><th class=\"hide-sm\">Comment</th></tr>"
        for silence in current {
            html += "<tr><td><span class=\"labels\">"
            for matcher in silence.matchers { html += "<span>\(HTMLText.escape(matcher.description))</span>" }
            let state = silence.state(at: now)
            html += "</span></td><td><span class=\"pill \(state.rawValue)\">\(state.rawValue)</span> "
            html += "<span class=\"small\">\(HTML.time(silence.endsAt))</span></td>"
            html += "<td class=\"hide-sm small\">\(HTMLText.escape(silence.comment)) <span class=\"muted\">— \(HTMLText.escape(silence.createdBy))</span></td></tr>"
        }
        html += "</table>"
    }

    mutating func notifications(_ items: [NotificationInfo], queue: QueueInfo, now: Timestamp) {
        section("Notifications", count: items.count)
        html += "<p>Queue: <b>\(queue.length)</b> waiting"
        if let oldest = queue.oldest, queue.length > 0 { html += ", oldest queued \(HTML.since(oldest, now: now))" }
        html += "</p>"
        guard !items.isEmpty else { html += "<p class=\"muted\">No notifications sent yet.</p>"; return }
        html += "<table><tr><th>When</th><th>Channel</th><th>Notification</th></tr>"
        for item in items.prefix(50) {
            html += "<tr><td class=\"small nw\">\(HTML.since(item.time, now: now))</td><td>\(HTMLText.escape(item.channel)) "
            html += "<span class=\"pill \(item.result.rawValue)\">\(item.result.rawValue)</span></td>"
            html += "<td>\(HTMLText.escape(item.summary))"
            if !item.detail.isEmpty { html += "<div class=\"small muted\">\(HTMLText.escape(item.detail))</div>" }
            html += "</td></tr>"
        }
        html += "</table>"
    }
}
