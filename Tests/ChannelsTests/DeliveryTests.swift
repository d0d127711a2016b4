import Curl
import Foundation
import Model
import Notify
import Testing
import TestSupport
@testable import Channels

@Suite(.serialized) struct DeliveryTests {
    let loop: CurlLoop
    let dir: TemporaryDirectory

    init() throws {
        loop = try CurlLoop()
        dir = try TemporaryDirectory()
    }

    @Test func webhookReceivesVersion4PayloadWithBearerToken() async throws {
        let receiver = try await Receiver(loop: loop)
        let rig = try NotifierRig(channels: ["audit": .webhook(WebhookSpec(url: receiver.url("/hook"), bearerToken: "s3cret"))],
                                  databasePath: dir.file("n.db"), loop: loop)
        await rig.notifier.receive(alerts: [alert("HighErrorRate", instance: "a"), alert("HighErrorRate", instance: "b")])
        #expect(await eventually { await rig.delivered("audit") == 1 })
        await rig.stop()
        let posts = try await receiver.received(path: "/hook")
        #expect(posts.count == 1)
        let body = try JSONSerialization.jsonObject(with: Data((posts[0]["body"] as! String).utf8)) as! [String: Any]
        #expect(body["version"] as? String == "4" && body["status"] as? String == "firing")
        #expect((body["alerts"] as! [Any]).count == 2)
        #expect((posts[0]["headers"] as! [String: String])["Authorization"] == "Bearer s3cret")
    }

    @Test func retriesAfter500And429HonouringRetryAfterThenDeliversOnce() async throws {
        let receiver = try await Receiver(loop: loop)
        try await receiver.script("/slack", [["status": 500, "body": "oops"], ["status": 429, "retry_after": "1"]])
        let rig = try NotifierRig(channels: ["team": .slack(SlackSpec(webhookURL: receiver.url("/slack")))],
                                  databasePath: dir.file("n.db"), loop: loop)
        await rig.notifier.receive(alerts: [alert("Down")])
        #expect(await eventually { await rig.delivered("team") == 1 })
        await rig.stop()
        let attempts = try await receiver.received(path: "/slack")
        #expect(attempts.map { $0["status"] as! Int } == [500, 429, 200])
        let gap = (attempts[2]["time"] as! Double) - (attempts[1]["time"] as! Double)
        #expect(gap >= 0.95, "Retry-After: 1 must delay the next attempt by a second, was \(gap)")
        #expect(await rig.notifier.metrics().notificationsTotal["team"] == ["retried": 2, "delivered": 1])
        #expect(await rig.queued() == 0)
    }

    /// The status page's "recent notifications" come from here: each attempt's outcome, newest first.
    @Test func recentDeliveriesRecordRetriesDeliveriesAndRefusals() async throws {
        let receiver = try await Receiver(loop: loop)
        try await receiver.script("/slack", [["status": 500, "body": "oops"]])
        try await receiver.script("/bad", [["status": 400, "body": "invalid_payload"]])
        let rig = try NotifierRig(channels: ["team": .slack(SlackSpec(webhookURL: receiver.url("/slack"))),
                                             "other": .slack(SlackSpec(webhookURL: receiver.url("/bad")))],
                                  databasePath: dir.file("n.db"), loop: loop)
        await rig.notifier.receive(alerts: [alert("Down")])
        #expect(await eventually {
            let failed = await rig.notifier.metrics().notificationsTotal["other"]?["failed"]
            return await rig.delivered("team") == 1 && failed == 1
        })
        await rig.stop()
        let recent = await rig.notifier.recentDeliveries()
        let team = recent.filter { $0.channel == "team" }
        #expect(team.map(\.outcome) == [.delivered, .retrying])
        #expect(team.allSatisfy { $0.title == "[FIRING:1] Down (critical)" })
        #expect(team.last?.detail == "HTTP 500: oops")
        let other = recent.filter { $0.channel == "other" }
        #expect(other.map(\.outcome) == [.failed])
        #expect(other.first?.detail.contains("invalid_payload") == true)
    }

    @Test func nonRetryable4xxIsDroppedAndLoggedWithBodyButNoSecret() async throws {
        let receiver = try await Receiver(loop: loop, defaultStatus: 400)
        try await receiver.script("/services/T0/B0/SECRETTOKEN", [["status": 400, "body": "invalid_payload"]])
        let rig = try NotifierRig(channels: ["team": .slack(SlackSpec(webhookURL: receiver.url("/services/T0/B0/SECRETTOKEN")))],
                                  databasePath: dir.file("n.db"), loop: loop)
        await rig.notifier.receive(alerts: [alert("Down")])
        #expect(await eventually { await rig.notifier.metrics().notificationsTotal["team"]?["failed"] == 1 })
        await rig.stop()
        #expect(try await receiver.received().count == 1)
        #expect(rig.logs.text.contains("invalid_payload"))
        #expect(!rig.logs.text.contains("SECRETTOKEN"))
    }

    @Test func receiverDownThenUpDeliversEachNotificationOnce() async throws {
        let first = try await Receiver(loop: loop)
        let port = first.port
        first.stop()  // nothing listens: connection refused
        let url = "http://127.0.0.1:\(port)/hook"
        let strict = DeliveryPolicy(initialBackoff: 50, maxBackoff: 400, maxAge: 60_000, timeout: 2000, parallelism: 1)
        let rig = try NotifierRig(channels: ["audit": .webhook(WebhookSpec(url: url))], databasePath: dir.file("n.db"),
                                  loop: loop, delivery: strict)
        await rig.notifier.receive(alerts: [alert("A"), alert("B"), alert("C")])
        #expect(await eventually { await rig.notifier.metrics().notificationsTotal["audit"]?["retried", default: 0] ?? 0 >= 2 })
        #expect(await rig.queued() == 3)
        let receiver = try await Receiver(loop: loop, port: port)
        #expect(await eventually { await rig.delivered("audit") == 3 })
        await rig.stop()
        let names = try await receiver.accepted("/hook").map { ($0["groupLabels"] as! [String: String])["alertname"]! }
        #expect(names == ["A", "B", "C"], "each once, in queue order (parallelism 1: strict per-channel order)")
    }

    /// While the receiver is down, a newer notification of the same group replaces the queued one
    /// it covers: the receiver gets the group's current state once, not every stale version.
    @Test func aNewerStateOfTheGroupReplacesTheQueuedOneWhileTheReceiverIsDown() async throws {
        let first = try await Receiver(loop: loop)
        let port = first.port
        first.stop()  // nothing listens: connection refused
        let url = "http://127.0.0.1:\(port)/hook"
        let route = RouteSpec(channels: ["audit"], groupBy: ["alertname"], groupWait: 0, groupInterval: 50,
                              repeatInterval: 36_000_000)
        let slow = DeliveryPolicy(initialBackoff: 2000, maxBackoff: 2000, maxAge: 60_000, timeout: 2000)  // queued, rarely in flight
        let rig = try NotifierRig(channels: ["audit": .webhook(WebhookSpec(url: url))], databasePath: dir.file("n.db"),
                                  loop: loop, route: route, delivery: slow)
        let a = alert("Down", instance: "a"), b = alert("Down", instance: "b")
        await rig.notifier.receive(alerts: [a])
        #expect(await eventually { await rig.notifier.metrics().notificationsTotal["audit"]?["retried"] ?? 0 >= 1 })
        await rig.notifier.receive(alerts: [a, b])
        #expect(await eventually { rig.logs.text.contains("queued notification superseded") })
        #expect(await rig.queued() == 1)
        let receiver = try await Receiver(loop: loop, port: port)
        #expect(await eventually { await rig.delivered("audit") == 1 })
        await rig.stop()
        let posts = try await receiver.accepted("/hook")
        #expect(posts.count == 1)
        let instances = (posts.first?["alerts"] as? [[String: Any]] ?? []).map { ($0["labels"] as! [String: String])["instance"]! }
        #expect(instances == ["a", "b"])
    }

    /// A queued notification that reports something the newer one does not (here: B firing, since
    /// resolved) is kept, so the receiver learns that B fired and that it resolved.
    @Test func aQueuedNotificationWithNewsIsNotReplaced() async throws {
        let first = try await Receiver(loop: loop)
        let port = first.port
        first.stop()
        let url = "http://127.0.0.1:\(port)/hook"
        let route = RouteSpec(channels: ["audit"], groupBy: ["alertname"], groupWait: 0, groupInterval: 50,
                              repeatInterval: 36_000_000)
        let rig = try NotifierRig(channels: ["audit": .webhook(WebhookSpec(url: url))], databasePath: dir.file("n.db"),
                                  loop: loop, route: route)
        await rig.notifier.receive(alerts: [alert("Down", instance: "b")])
        #expect(await eventually { await rig.queued() == 1 })
        await rig.notifier.receive(alerts: [alert("Down", instance: "b", resolved: true)])
        #expect(await eventually { await rig.queued() == 2 })
        let receiver = try await Receiver(loop: loop, port: port)
        #expect(await eventually { await rig.delivered("audit") == 2 })
        await rig.stop()
        #expect(try await receiver.accepted("/hook").map { $0["status"] as! String } == ["firing", "resolved"])
        #expect(!rig.logs.text.contains("superseded"))
    }

    @Test func queueLeftByAStoppedNotifierDrainsInANewOne() async throws {
        let first = try await Receiver(loop: loop)
        let port = first.port
        first.stop()
        let db = dir.file("restart.db")
        let url = "http://127.0.0.1:\(port)/hook"
        let old = try NotifierRig(channels: ["audit": .webhook(WebhookSpec(url: url))], databasePath: db, loop: loop)
        await old.notifier.receive(alerts: (0..<20).map { alert("Alert\($0)") })
        #expect(await eventually { await old.queued() == 20 })
        await old.stop()

        let receiver = try await Receiver(loop: loop, port: port)
        let new = try NotifierRig(channels: ["audit": .webhook(WebhookSpec(url: url))], databasePath: db, loop: loop)
        #expect(await eventually { await new.delivered("audit") == 20 })
        // The same alerts handed in again after the restart are deduplicated by the stored log.
        await new.notifier.receive(alerts: (0..<20).map { alert("Alert\($0)") })
        try await Task.sleep(for: .milliseconds(300))
        await new.stop()
        let names = try await receiver.accepted("/hook").map { ($0["groupLabels"] as! [String: String])["alertname"]! }
        #expect(names.count == 20 && Set(names).count == 20)
        #expect(await new.queued() == 0)
    }

    @Test func deliveryInFlightAtShutdownFinishesInsteadOfBeingSentAgainLater() async throws {
        let receiver = try await Receiver(loop: loop)
        try await receiver.script("/hook", [["status": 200, "delay_ms": 1000]])
        let rig = try NotifierRig(channels: ["audit": .webhook(WebhookSpec(url: receiver.url("/hook")))],
                                  databasePath: dir.file("n.db"), loop: loop)
        await rig.notifier.receive(alerts: [alert("Slow")])
        #expect(await eventually { await rig.queued() == 1 })
        #expect(try await eventually { try await receiver.arrived() == ["/hook"] })  // now answering, slowly
        let stopping = ContinuousClock.now
        await rig.stop()
        #expect(ContinuousClock.now - stopping < .seconds(3), "the grace period bounds shutdown")
        #expect(await rig.delivered("audit") == 1)
        #expect(await rig.queued() == 0, "accepted by the receiver, so not queued for a second delivery")
        #expect(try await receiver.received(path: "/hook").count == 1)
    }

    @Test func pagerDutyResolveClosesTheIncidentItOpenedAndRetriesOpenNoSecond() async throws {
        let receiver = try await Receiver(loop: loop, defaultStatus: 202)
        try await receiver.script("/v2/enqueue", [["status": 500], ["status": 202, "delay_ms": 2500]])
        let rig = try NotifierRig(channels: ["pager": .pagerduty(PagerDutySpec(routingKey: "ROUTINGKEY123", url: receiver.url("/v2/enqueue")))],
                                  databasePath: dir.file("n.db"), loop: loop,
                                  route: RouteSpec(channels: ["pager"], groupBy: ["alertname"], groupWait: 0, groupInterval: 200))
        await rig.notifier.receive(alerts: [alert("ApiDown")])
        #expect(await eventually { await rig.delivered("pager") == 1 })
        await rig.notifier.receive(alerts: [alert("ApiDown", resolved: true)])
        #expect(await eventually { await rig.delivered("pager") == 2 })
        await rig.stop()
        let incidents = try await receiver.incidents()
        #expect(incidents.count == 1)
        #expect(incidents.values.first?["state"] as? String == "resolved")
        #expect(incidents.values.first?["opened"] as? Int == 1)
        let events = try await receiver.received(path: "/v2/enqueue")
        let actions = try events.map { try JSONSerialization.jsonObject(with: Data(($0["body"] as! String).utf8)) as! [String: Any] }
        #expect(Set(actions.map { $0["dedup_key"] as! String }).count == 1)
        #expect(!rig.logs.text.contains("ROUTINGKEY123"))
    }

    @Test func sendTestReportsSuccessAndReceiverErrors() async throws {
        let receiver = try await Receiver(loop: loop)
        try await receiver.script("/bad", [["status": 404, "body": "no_service"]])
        let rig = try NotifierRig(channels: ["good": .webhook(WebhookSpec(url: receiver.url("/good"))),
                                             "bad": .slack(SlackSpec(webhookURL: receiver.url("/bad")))],
                                  databasePath: dir.file("n.db"), loop: loop)
        #expect(await rig.notifier.sendTest(channel: "good") == .delivered)
        #expect(await rig.notifier.sendTest(channel: "bad") == .permanent(reason: "HTTP 404: no_service"))
        await rig.stop()
        let body = try await receiver.accepted("/good")[0]
        #expect((body["commonLabels"] as! [String: String])["alertname"] == "LookoutTest")
    }
}

@Suite(.serialized) struct MutingDeliveryTests {
    let loop: CurlLoop
    let dir: TemporaryDirectory

    init() throws {
        loop = try CurlLoop()
        dir = try TemporaryDirectory()
    }

    @Test func silenceFromTheCLIAndInhibitionMuteWhileOthersAreSent() async throws {
        let receiver = try await Receiver(loop: loop)
        let db = dir.file("lookout.db")
        let rule = InhibitRule(source: [try MatcherParser.parse("severity=critical")],
                               target: [try MatcherParser.parse("severity=warning")], equal: ["job"])
        let rig = try NotifierRig(channels: ["audit": .webhook(WebhookSpec(url: receiver.url("/hook")))], databasePath: db,
                                  loop: loop, inhibit: [rule])
        // `lookout silence add` on the same database file, while the daemon runs.
        let silence = try SilenceManager(databasePath: db).add(matchers: ["alertname=Noisy"], duration: 3_600_000,
                                                               comment: "known", createdBy: "ops", now: Notifier.wallClock())
        #expect(!silence.id.isEmpty)
        await rig.notifier.receive(alerts: [alert("Noisy"), alert("ApiDown"), alert("SlowApi", severity: "warning"),
                                            alert("DiskFull", severity: "warning", extra: ["job": "db"])])
        #expect(await eventually { await rig.delivered("audit") == 2 })
        try await Task.sleep(for: .milliseconds(200))
        await rig.stop()
        let names = try await receiver.accepted("/hook").map { ($0["groupLabels"] as! [String: String])["alertname"]! }
        #expect(names.sorted() == ["ApiDown", "DiskFull"])
        let text = await rig.notifier.metrics().exposition
        #expect(text.contains("lookout_notifications_total{channel=\"audit\",result=\"delivered\"} 2"))
        #expect(text.contains("lookout_notification_queue_length{channel=\"audit\"} 0"))
        #expect(text.contains("lookout_notification_delivery_seconds_count 2"))
    }
}

@Suite(.serialized) struct ExpiryAndReloadTests {
    let loop: CurlLoop
    let dir: TemporaryDirectory

    init() throws {
        loop = try CurlLoop()
        dir = try TemporaryDirectory()
    }

    @Test func notificationsOlderThanMaxAgeAreDroppedWithErrorAndMetric() async throws {
        // Port 1: privileged and unused, so always refused. A port a stopped receiver freed can be
        // taken by a server of a test running beside this one (which then answers).
        let url = "http://127.0.0.1:1/hook"
        let policy = DeliveryPolicy(initialBackoff: 50, maxBackoff: 100, maxAge: 500, timeout: 1000)
        let rig = try NotifierRig(channels: ["audit": .webhook(WebhookSpec(url: url))], databasePath: dir.file("n.db"),
                                  loop: loop, delivery: policy)
        await rig.notifier.receive(alerts: [alert("A")])
        let expired = await eventually { await rig.notifier.metrics().notificationsTotal["audit"]?["expired"] == 1 }
        let counts = await rig.notifier.metrics().notificationsTotal
        #expect(expired, "counts \(counts), logs \(rig.logs.all)")
        await rig.stop()
        #expect(await rig.queued() == 0)
        #expect(rig.logs.all.contains { $0.hasPrefix("error") && $0.contains("maximum age") && $0.contains("connection refused") })
    }

    @Test func reloadKeepsAlertsAndRoutesThemAnew() async throws {
        let receiver = try await Receiver(loop: loop)
        let rig = try NotifierRig(channels: ["one": .webhook(WebhookSpec(url: receiver.url("/one")))],
                                  databasePath: dir.file("n.db"), loop: loop,
                                  route: RouteSpec(channels: ["one"], groupBy: ["alertname"], groupWait: 3_600_000))
        await rig.notifier.receive(alerts: [alert("Held")])
        let channels: [String: ChannelSpec] = ["two": .webhook(WebhookSpec(url: receiver.url("/two")))]
        let transport = CurlTransport(loop: loop)
        let factory = ChannelFactory(http: transport, smtp: transport, logger: .init(label: "t"))
        await rig.notifier.reload(settings: NotifySettings(route: RouteSpec(channels: ["two"], groupWait: 0), channels: channels),
                                  channels: factory.makeAll(channels))
        #expect(await eventually { await rig.delivered("two") == 1 })
        await rig.stop()
        #expect(try await receiver.accepted("/one").isEmpty)
    }
}
