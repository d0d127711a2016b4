import Foundation
import Logging
import Model
import Notify
import Testing
@testable import Channels

@Suite struct RenderTests {
    static let cases: [(String, GroupNotification)] = [
        ("firing", Samples.firingGroup), ("resolved", Samples.resolvedGroup), ("warning", Samples.warningGroup),
    ]

    @Test(arguments: cases)
    func webhookBodies(name: String, n: GroupNotification) throws {
        let channel = WebhookChannel(name: "audit", spec: WebhookSpec(url: "http://h/x", bearerToken: "tok"),
                                     transport: NoTransport(), timeout: 1000)
        let request = try channel.render(n)
        #expect(request.headers.contains { $0 == ("Authorization", "Bearer tok") })
        try expectGolden(try pretty(request.body), "webhook-\(name).json")
    }

    @Test(arguments: cases)
    func slackBodies(name: String, n: GroupNotification) throws {
        let channel = SlackChannel(name: "team", spec: SlackSpec(webhookURL: "https://hooks.slack.com/services/T/B/S"),
                                   transport: NoTransport(), timeout: 1000)
        try expectGolden(try pretty(try channel.render(n).body), "slack-\(name).json")
    }

    @Test(arguments: cases)
    func pagerDutyBodies(name: String, n: GroupNotification) throws {
        let channel = PagerDutyChannel(name: "pager", spec: PagerDutySpec(routingKey: "R0UT1NGKEY", url: "http://pd/v2/enqueue"),
                                       transport: NoTransport(), timeout: 1000)
        try expectGolden(try pretty(try channel.render(n).body), "pagerduty-\(name).json")
    }

    @Test(arguments: cases)
    func emailMessages(name: String, n: GroupNotification) throws {
        let channel = EmailChannel(name: "ops", spec: EmailSpec(url: "smtp://mail:587", from: "alerts@example.com",
                                                                to: ["a@example.com", "b@example.com"]),
                                   transport: NoTransport(), timeout: 1000)
        try expectGolden(String(decoding: try channel.render(n).data, as: UTF8.self), "email-\(name).eml")
    }

    @Test func slackColours() {
        #expect(SlackChannel.color(Samples.firingGroup) == "#E01E5A")
        #expect(SlackChannel.color(Samples.warningGroup) == "#FF9900")
        #expect(SlackChannel.color(Samples.resolvedGroup) == "#2EB67D")
    }

    /// Slack parses `text` (shown above the attachment) as mrkdwn: a group label value such as
    /// `<!channel>` in the title must arrive escaped, or it pings the whole channel.
    @Test(arguments: ["<!channel>", "<!here|x>", "<@U024BE7LH>", "<https://evil.example|click>"])
    func slackTitleCannotMentionOrLink(value: String) throws {
        var n = Samples.firingGroup
        n.groupLabels = Labels(["alertname": "HighErrorRate", "job": value])
        for index in n.alerts.indices { n.alerts[index].labels = n.alerts[index].labels.setting("job", to: value) }
        let channel = SlackChannel(name: "team", spec: SlackSpec(webhookURL: "https://h/s"), transport: NoTransport(), timeout: 1)
        let body = String(decoding: try channel.render(n).body, as: UTF8.self)
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
        let attachment = (object["attachments"] as! [[String: Any]])[0]
        for text in [object["text"] as! String, attachment["fallback"] as! String] {
            #expect(!text.contains("<") && !text.contains(">"), "\(text)")
            #expect(text.contains("&lt;"))
        }
        #expect(!body.contains(value))
    }

    @Test func slackTruncatesLongGroups() throws {
        let alerts = (0..<120).map { Samples.alert(instance: "host-\($0):80") }
        var n = Samples.firingGroup
        n.alerts = alerts
        n.alerts[0].annotations = ["summary": String(repeating: "x", count: 10_000)]
        let channel = SlackChannel(name: "team", spec: SlackSpec(webhookURL: "https://h/s"), transport: NoTransport(), timeout: 1)
        let object = try JSONSerialization.jsonObject(with: Data(channel.render(n).body)) as! [String: Any]
        let blocks = (object["attachments"] as! [[String: Any]])[0]["blocks"] as! [[String: Any]]
        #expect(blocks.count <= 50)
        for block in blocks {
            if let text = block["text"] as? [String: Any] { #expect((text["text"] as! String).count <= 3000) }
        }
        let context = blocks.last!["elements"] as! [[String: Any]]
        #expect((context[0]["text"] as! String).hasPrefix("…and 100 more alerts"))
    }

    @Test func pagerDutyKeepsOneDedupKeyPerGroupAndLimitsSummary() throws {
        let channel = PagerDutyChannel(name: "pager", spec: PagerDutySpec(routingKey: "k"), transport: NoTransport(), timeout: 1)
        let trigger = try JSONSerialization.jsonObject(with: Data(channel.render(Samples.firingGroup).body)) as! [String: Any]
        let resolve = try JSONSerialization.jsonObject(with: Data(channel.render(Samples.resolvedGroup).body)) as! [String: Any]
        #expect(trigger["dedup_key"] as? String == resolve["dedup_key"] as? String)
        #expect(trigger["event_action"] as? String == "trigger" && resolve["event_action"] as? String == "resolve")
        var long = Samples.firingGroup
        long.alerts = [Samples.alert(instance: "a")]
        long.alerts[0].annotations = long.alerts[0].annotations.setting("summary", to: String(repeating: "é", count: 5000))
        let event = try JSONSerialization.jsonObject(with: Data(channel.render(long).body)) as! [String: Any]
        #expect(((event["payload"] as! [String: Any])["summary"] as! String).count == 1024)
    }

    @Test(arguments: [("critical", "critical"), ("page", "critical"), ("error", "error"), ("warning", "warning"),
                      ("info", "info"), ("", "error"), ("whatever", "error")])
    func pagerDutySeverities(label: String, expected: String) {
        #expect(PagerDutyChannel.severity(label) == expected)
    }

    @Test func logChannelWritesOneEntryPerAlert() {
        let channel = LogChannel(name: "journal", logger: Logger(label: "test"))
        let entries = channel.render(Samples.warningGroup)
        #expect(entries.count == 2)
        #expect(entries[0]["status"] == "firing" && entries[1]["status"] == "resolved")
    }
}
