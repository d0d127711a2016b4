import Model
import Notify

/// A Slack incoming webhook: `text` as the notification fallback, and one coloured attachment for
/// the group whose blocks show each alert (summary, description, value, labels, runbook) and a
/// link to the status page. Kept inside Slack's limits (50 blocks, 3,000 characters a section).
struct SlackChannel: Channel {
    let name: String
    let spec: SlackSpec
    let transport: any HTTPTransport
    let timeout: Int64

    /// Alerts shown in full; the rest are counted in a final line.
    static let maxAlertsShown = 20
    static let maxSectionText = 3000

    struct Payload: Encodable {
        var text: String
        var channel: String?
        var username: String?
        var attachments: [Attachment]
    }

    struct Attachment: Encodable {
        var color: String
        var fallback: String
        var blocks: [Block]
    }

    struct Block: Encodable {
        var type: String
        var text: Text?
        var elements: [Text]?
    }

    struct Text: Encodable {
        var type = "mrkdwn"
        var text: String
    }

    func render(_ n: GroupNotification) throws -> OutboundHTTPRequest {
        var blocks = [Block(type: "section", text: Text(text: "*\(Self.escape(n.title))*"))]
        for alert in n.alerts.prefix(Self.maxAlertsShown) {
            blocks.append(Block(type: "section", text: Text(text: Self.describe(alert))))
        }
        let hidden = n.alerts.count - min(n.alerts.count, Self.maxAlertsShown)
        var context = hidden > 0 ? ["…and \(hidden) more alert\(hidden == 1 ? "" : "s")"] : []
        if !n.externalURL.isEmpty { context.append("<\(n.externalURL)|Status page>") }
        if !context.isEmpty {
            blocks.append(Block(type: "context", elements: [Text(text: context.joined(separator: " · "))]))
        }
        // The title carries group label values: escaped like every other text, so a label such as
        // `<!channel>` cannot mention anyone (Slack parses `text` as mrkdwn).
        let title = Self.escape(Formats.truncate(n.title, 3000))
        let payload = Payload(text: title, channel: spec.channel, username: spec.username,
                              attachments: [Attachment(color: Self.color(n), fallback: title, blocks: blocks)])
        return OutboundHTTPRequest(url: spec.webhookURL, headers: [("Content-Type", "application/json")],
                           body: try Formats.json(payload))
    }

    func send(_ request: OutboundHTTPRequest) async -> DeliveryResult {
        await HTTPClassifier.send(request, via: transport, timeout: timeout)
    }

    /// Red for firing critical, orange for warning, green once resolved, grey otherwise.
    static func color(_ n: GroupNotification) -> String {
        if n.isResolved { return "#2EB67D" }
        switch Severity.rank(n.severity) {
        case 4, 3: return "#E01E5A"
        case 2: return "#FF9900"
        default: return "#A0A0A0"
        }
    }

    static func describe(_ alert: Alert) -> String {
        let status = alert.isResolved ? "RESOLVED" : "FIRING"
        var lines = ["*[\(status)] \(escape(alert.name))*"]
        if let summary = alert.annotations["summary"] { lines.append(escape(summary)) }
        if let description = alert.annotations["description"] { lines.append("_\(escape(description))_") }
        lines.append("*Value:* \(Formats.value(alert.value))")
        let labels = alert.labels.filter { $0.name != "alertname" }.map { "`\(escape($0.name))=\(escape($0.value))`" }
        if !labels.isEmpty { lines.append("*Labels:* " + labels.joined(separator: " ")) }
        var links: [String] = []
        if let runbook = alert.annotations["runbook_url"], let link = safeLink(runbook) { links.append("<\(link)|Runbook>") }
        if let source = safeLink(alert.generatorURL) { links.append("<\(source)|Source>") }
        if !links.isEmpty { lines.append(links.joined(separator: " · ")) }
        return Formats.truncate(lines.joined(separator: "\n"), maxSectionText)
    }

    /// Slack's mrkdwn control characters.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Only http(s) URLs without characters that would end Slack's `<url|text>` syntax.
    static func safeLink(_ url: String) -> String? {
        guard url.hasPrefix("http://") || url.hasPrefix("https://"),
              !url.contains(where: { $0 == "|" || $0 == ">" || $0 == "<" || $0.isWhitespace }) else { return nil }
        return url
    }
}
