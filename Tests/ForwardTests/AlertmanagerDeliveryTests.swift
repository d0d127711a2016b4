import Config
import Curl
import Foundation
import Logging
import Model
import Synchronization
import Testing
import TestSupport
@testable import Forward

@Suite(.serialized) struct AlertmanagerDeliveryTests {
    let loop: CurlLoop
    let dir: TemporaryDirectory
    init() throws {
        loop = try CurlLoop()
        dir = try TemporaryDirectory()
    }

    private func forwarder(_ options: AlertmanagerOptions = amOptions(),
                           logger: Logger? = nil) throws -> AlertmanagerForwarder {
        try AlertmanagerForwarder(databasePath: dir.file("alertmanager.db"), loop: loop, options: options,
                                  logger: logger ?? Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    @Test func everyInstanceGetsEveryAlertWithPrometheusPayload() async throws {
        let a = try await AMReceiver.launch(loop: loop)
        let b = try await AMReceiver.launch(loop: loop)
        let now: Timestamp = 1_700_000_100_000
        let forwarder = try forwarder(amOptions(now: { now }))
        defer { forwarder.stop() }
        forwarder.reload([AlertmanagerConfig(url: a.baseURL, auth: .bearerToken(Secret("tok"))), AlertmanagerConfig(url: b.baseURL + "/")])
        forwarder.send([amAlert("HostDown", instance: "x"), amAlert("HostDown", instance: "y", resolvedAt: 1_700_000_050_000)]) { _ in 240_000 }
        for receiver in [a, b] {
            #expect(try await eventually { try await receiver.accepted().count == 2 })
            let alerts = try await receiver.accepted()
            #expect(alerts[0]["labels"] as? [String: String] == ["alertname": "HostDown", "instance": "x", "severity": "page"])
            #expect(alerts[0]["annotations"] as? [String: String] == ["summary": "HostDown on x"])
            #expect(alerts[0]["startsAt"] as? String == "2023-11-14T22:13:20.000Z")
            #expect(alerts[0]["endsAt"] as? String == "2023-11-14T22:19:00.000Z")
            #expect(alerts[1]["endsAt"] as? String == "2023-11-14T22:14:10.000Z")
            #expect(alerts[0]["generatorURL"] as? String == "http://lookout:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1")
        }
        #expect(try await a.posts()[0].headers["Authorization"] == "Bearer tok")
        #expect(try await b.posts()[0].headers["Authorization"] == nil)
        // The receiver records a post before answering it: the counters follow a moment later.
        #expect(await eventually { forwarder.metrics().map { [$0.alertsSent, $0.queueLength] } == [[2, 0], [2, 0]] })
    }

    @Test func sendsInBatchesOfSixtyFour() async throws {
        let receiver = try await AMReceiver.launch(loop: loop)
        let forwarder = try forwarder()
        defer { forwarder.stop() }
        forwarder.reload([AlertmanagerConfig(url: receiver.baseURL)])
        forwarder.send((0..<100).map { amAlert("Many", instance: "i\($0)") }) { _ in 240_000 }
        #expect(try await eventually { try await receiver.accepted().count == 100 })
        #expect(try await receiver.posts().map(\.alerts.count) == [64, 36])
        let order = try await receiver.accepted().map { ($0["labels"] as! [String: String])["instance"]! }
        #expect(order == (0..<100).map { "i\($0)" })
    }

    @Test func aDownInstanceQueuesWithoutHoldingTheOthersBack() async throws {
        let up = try await AMReceiver.launch(loop: loop)
        let downPort = try amUnusedPort()
        let forwarder = try forwarder()
        defer { forwarder.stop() }
        let downURL = "http://127.0.0.1:\(downPort)"
        forwarder.reload([AlertmanagerConfig(url: up.baseURL), AlertmanagerConfig(url: downURL)])
        forwarder.send([amAlert("A"), amAlert("B")]) { _ in 240_000 }
        #expect(try await eventually { try await up.accepted().count == 2 })
        #expect(await eventually {
            forwarder.metrics().first { $0.url == downURL }.map { $0.errors >= 2 && $0.queueLength == 2 } ?? false
        })
        let late = try await AMReceiver.launch(loop: loop, port: downPort)
        #expect(try await eventually { try await late.accepted().count == 2 })
        #expect(await eventually { forwarder.metrics().allSatisfy { $0.queueLength == 0 && $0.alertsSent == 2 } })
    }

    @Test func serverErrorsAreRetriedAndOther4xxAreNot() async throws {
        let receiver = try await AMReceiver.launch(loop: loop)
        let (logger, logs) = RecordingLogHandler.logger()
        let forwarder = try forwarder(logger: logger)
        defer { forwarder.stop() }
        try await receiver.script([
            ["status": 503, "body": "busy"], ["status": 429, "body": "slow down"], ["status": 200],
            ["status": 400, "body": "{\"message\":\"labels must not be empty\"}"], ["status": 200],
        ])
        forwarder.reload([AlertmanagerConfig(url: receiver.baseURL)])
        forwarder.send([amAlert("Retried")]) { _ in 240_000 }
        #expect(try await eventually { try await receiver.accepted().count == 1 })
        forwarder.send([amAlert("Rejected")]) { _ in 240_000 }
        #expect(await eventually { forwarder.metrics().first?.dropped == 1 })
        forwarder.send([amAlert("After")]) { _ in 240_000 }
        #expect(try await eventually { try await receiver.accepted().count == 2 })
        let posts = try await receiver.posts()
        let names = posts.map { ($0.alerts[0]["labels"] as! [String: String])["alertname"]! }
        #expect(names == ["Retried", "Retried", "Retried", "Rejected", "After"])
        #expect(posts.map(\.status) == [503, 429, 200, 400, 200])
        #expect(await eventually {
            forwarder.metrics().first.map { $0.errors == 3 && $0.alertsSent == 2 && $0.queueLength == 0 } ?? false
        })
        #expect(logs.text.contains("labels must not be empty"))
        #expect(logs.text.contains("status=400"))
    }

    @Test func aRestartDrainsWhatWasQueued() async throws {
        let port = try amUnusedPort()
        let config = AlertmanagerConfig(url: "http://127.0.0.1:\(port)")
        let first = try forwarder()
        first.reload([config])
        first.send([amAlert("Survives", instance: "1"), amAlert("Survives", instance: "2")]) { _ in 240_000 }
        #expect(await eventually { first.metrics().first.map { $0.errors >= 1 && $0.queueLength == 2 } ?? false })
        first.stop()

        let receiver = try await AMReceiver.launch(loop: loop, port: port)
        let second = try forwarder()
        defer { second.stop() }
        second.reload([config])
        #expect(try await eventually { try await receiver.accepted().count == 2 })
        #expect(await eventually { second.metrics().first?.queueLength == 0 })
    }

    @Test func aNewerVersionReplacesTheQueuedOne() async throws {
        let port = try amUnusedPort()
        let forwarder = try forwarder()
        defer { forwarder.stop() }
        forwarder.reload([AlertmanagerConfig(url: "http://127.0.0.1:\(port)")])
        forwarder.send([amAlert("Flaps")]) { _ in 240_000 }
        forwarder.send([amAlert("Flaps", resolvedAt: 1_700_000_050_000)]) { _ in 240_000 }
        #expect(forwarder.metrics().first?.queueLength == 1)
        let receiver = try await AMReceiver.launch(loop: loop, port: port)
        #expect(try await eventually { try await receiver.accepted().count == 1 })
        #expect(try await receiver.accepted()[0]["endsAt"] as? String == "2023-11-14T22:14:10.000Z")
    }

    @Test func theQueueIsBoundedInLengthAndAge() async throws {
        let clock = Mutex<Timestamp>(1_700_000_000_000)
        var options = amOptions(now: { clock.withLock { $0 } })
        options.maxQueueLength = 5
        options.maxQueueAge = 600_000
        let (logger, logs) = RecordingLogHandler.logger()
        let forwarder = try forwarder(options, logger: logger)
        defer { forwarder.stop() }
        forwarder.reload([AlertmanagerConfig(url: "http://127.0.0.1:\(try amUnusedPort())")])
        forwarder.send((0..<8).map { amAlert("Bounded", instance: "\($0)") }) { _ in 240_000 }
        #expect(await eventually { forwarder.metrics().first.map { $0.queueLength == 5 && $0.dropped == 3 } ?? false })
        clock.withLock { $0 += 300_000 }
        #expect(forwarder.metrics().first?.oldestQueuedSeconds == 300)
        clock.withLock { $0 += 300_001 }
        #expect(await eventually { forwarder.metrics().first.map { $0.queueLength == 0 && $0.dropped == 8 } ?? false })
        #expect(logs.text.contains("dropped queued alerts"))
    }

    @Test func reloadStopsRemovedInstancesAndDropsTheirQueue() async throws {
        let keep = try await AMReceiver.launch(loop: loop)
        let gone = "http://127.0.0.1:\(try amUnusedPort())"
        let forwarder = try forwarder()
        defer { forwarder.stop() }
        forwarder.reload([AlertmanagerConfig(url: keep.baseURL), AlertmanagerConfig(url: gone)])
        forwarder.send([amAlert("One")]) { _ in 240_000 }
        #expect(try await eventually { try await keep.accepted().count == 1 })
        forwarder.reload([AlertmanagerConfig(url: keep.baseURL)])
        #expect(forwarder.metrics().map(\.url) == [keep.baseURL])
        #expect(try forwarder.queue.stats()[gone] == nil)
        forwarder.send([amAlert("Two")]) { _ in 240_000 }
        #expect(try await eventually { try await keep.accepted().count == 2 })
    }
}
