import Model
import Notify

/// PagerDuty Events API v2. One incident per alert group: the `dedup_key` is derived from the
/// group key, so a retried trigger never opens a second incident and the resolve closes it.
/// 202 accepted; 400 permanent (with PagerDuty's message); 429 and 5xx retried.
struct PagerDutyChannel: Channel {
    let name: String
    let spec: PagerDutySpec
    let transport: any HTTPTransport
    let timeout: Int64

    struct Event: Encodable {
        var routing_key: String
        var event_action: String
        var dedup_key: String
        var payload: Payload?
        var client: String?
        var client_url: String?
        var links: [Link]?
    }

    struct Payload: Encodable {
        var summary: String
        var source: String
        var severity: String
        var timestamp: String?
        var component: String?
        var group: String?
        var `class`: String?
        var custom_details: [String: String]
    }

    struct Link: Encodable {
        var href: String
        var text: String
    }

    /// The incident key of a group: stable across restarts and retries.
    static func dedupKey(_ n: GroupNotification) -> String { Fingerprint.hex(n.groupKey) }

    func render(_ n: GroupNotification) throws -> OutboundHTTPRequest {
        var event = Event(routing_key: spec.routingKey, event_action: n.isResolved ? "resolve" : "trigger",
                          dedup_key: Self.dedupKey(n))
        if !n.isResolved {
            event.payload = payload(n)
            event.client = "Lookout"
            event.client_url = n.externalURL.isEmpty ? nil : n.externalURL
            let links = Self.links(n)
            event.links = links.isEmpty ? nil : links
        }
        return OutboundHTTPRequest(url: spec.url, headers: [("Content-Type", "application/json")], body: try Formats.json(event))
    }

    struct ReportRefused: Error, CustomStringConvertible {
        var description: String { "PagerDuty is for incidents; reports are not sent to PagerDuty channels" }
    }

    /// Config validation keeps reports away from PagerDuty; a report that gets here anyway is dropped.
    func renderReport(_ report: ReportNotification) throws -> OutboundHTTPRequest { throw ReportRefused() }

    func send(_ request: OutboundHTTPRequest) async -> DeliveryResult {
        await HTTPClassifier.send(request, via: transport, timeout: timeout)
    }

    private func payload(_ n: GroupNotification) -> Payload {
        let common = n.commonLabels
        var summary = n.title
        if n.firing.count == 1, let text = n.firing[0].annotations["summary"] { summary += ": " + text }
        var details: [String: String] = ["firing": Self.list(n.firing), "num_firing": String(n.firing.count)]
        if !n.resolved.isEmpty {
            details["resolved"] = Self.list(n.resolved)
            details["num_resolved"] = String(n.resolved.count)
        }
        for (key, value) in n.commonAnnotations.dictionary where details[key] == nil { details[key] = value }
        return Payload(summary: Formats.truncate(summary, 1024),
                       source: spec.source ?? common["instance"] ?? "lookout",
                       severity: Self.severity(n.severity),
                       timestamp: n.firing.first.map { UTCTime($0.firedAt ?? $0.activeAt).rfc3339 },
                       component: spec.component ?? common["service"] ?? common["job"],
                       group: spec.group ?? common["team"], class: common["alertname"],
                       custom_details: details)
    }

    /// PagerDuty accepts exactly critical, error, warning and info; no label means error.
    static func severity(_ value: String) -> String {
        switch Severity.rank(value) {
        case 4: return "critical"
        case 2: return "warning"
        case 1: return "info"
        default: return "error"
        }
    }

    static func list(_ alerts: [Alert]) -> String {
        alerts.map { alert in
            var line = alert.labels.description
            if let summary = alert.annotations["summary"] { line += " — " + summary }
            return line + " (value \(Formats.value(alert.value)))"
        }.joined(separator: "\n")
    }

    static func links(_ n: GroupNotification) -> [Link] {
        var out: [Link] = []
        var seen = Set<String>()
        for alert in n.firing {
            if let runbook = alert.annotations["runbook_url"], seen.insert(runbook).inserted {
                out.append(Link(href: runbook, text: "Runbook: \(alert.name)"))
            }
        }
        if !n.externalURL.isEmpty { out.append(Link(href: n.externalURL, text: "Lookout status page")) }
        return out
    }
}
