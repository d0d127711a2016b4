import Foundation
import Logging
import Synchronization
import Testing
import Model
import Query
import Storage
import TestSupport
@testable import Rules

/// Collects what the evaluator hands to the notifier.
final class NotifySink: Sendable {
    private let received = Mutex<[[Alert]]>([])
    var batches: [[Alert]] { received.withLock { $0 } }
    var notify: NotifyFunc { { alerts in self.received.withLock { $0.append(alerts) } } }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rules-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct GroupEvaluatorTests {
    let minute: Int64 = 60_000
    let store = MemorySeriesStore()
    let sink = NotifySink()

    func environment(stateStore: AlertStatePersistence? = nil) -> RuleEnvironment {
        RuleEnvironment(query: RuleEnvironment.query(Engine(querier: store)), appender: store, notify: sink.notify,
                        stateStore: stateStore, externalLabels: ["env": "prod"], externalURL: "http://lookout:9464",
                        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func latest(_ name: String, at ts: Timestamp) throws -> [Series] {
        try store.select([Matcher("__name__", .equal, name)], in: ts...ts)
    }

    @Test func recordingRuleFeedsLaterAlertInSameRound() throws {
        try store.append([LabeledSample(["__name__": "x", "job": "api"], Sample(0, 5))])
        let group = GroupSpec(name: "g", interval: minute, rules: [
            RuleSpec(kind: .record("job:x:doubled"), expr: "x * 2", labels: ["source": "rule"]),
            RuleSpec(kind: .alert("High"), expr: "job:x:doubled > 8", labels: ["severity": "page"],
                     annotations: ["summary": "{{ $labels.job }} at {{ $value }} ({{ $externalLabels.env }})"]),
        ])
        let evaluator = GroupEvaluator(spec: group, environment: environment())
        evaluator.evaluate(at: minute)
        #expect(try latest("job:x:doubled", at: minute).map(\.samples) == [[Sample(minute, 10)]])
        let alerts = sink.batches.flatMap { $0 }
        #expect(alerts.count == 1)
        #expect(alerts.first?.labels == ["alertname": "High", "job": "api", "severity": "page", "source": "rule", "env": "prod"])
        #expect(alerts.first?.annotations["summary"] == "api at 10 (prod)")
        #expect(alerts.first?.generatorURL == "http://lookout:9464/graph?g0.expr=job%3Ax%3Adoubled+%3E+8&g0.tab=1")
        let series = try latest("ALERTS", at: minute)
        #expect(series.map(\.labels) == [["__name__": "ALERTS", "alertname": "High", "alertstate": "firing", "job": "api",
                                          "severity": "page", "source": "rule"]])
        #expect(try latest("ALERTS_FOR_STATE", at: minute).first?.samples == [Sample(minute, 60)])
        #expect(evaluator.status().rules.map(\.health) == [.ok, .ok])
    }

    @Test func vanishedSeriesGetStaleMarkers() throws {
        try store.append([LabeledSample(["__name__": "x", "job": "api"], Sample(0, 5))])
        let group = GroupSpec(name: "g", interval: minute, rules: [
            RuleSpec(kind: .record("r"), expr: "x > 1"),
            RuleSpec(kind: .alert("A"), expr: "x > 1", forDuration: 10 * minute),
        ])
        let evaluator = GroupEvaluator(spec: group, environment: environment())
        evaluator.evaluate(at: minute)
        try store.append([LabeledSample(["__name__": "x", "job": "api"], Sample(90_000, 0))])
        evaluator.evaluate(at: 2 * minute)
        #expect(try latest("r", at: 2 * minute).first?.samples.first?.isStale == true)
        #expect(try latest("ALERTS", at: 2 * minute).first?.samples.first?.isStale == true)
        #expect(sink.batches.isEmpty)
    }

    @Test func duplicateLabelsetFailsTheRuleOnly() throws {
        try store.append([LabeledSample(["__name__": "x", "a": "1"], Sample(0, 1)),
                          LabeledSample(["__name__": "x", "a": "2"], Sample(0, 1))])
        let group = GroupSpec(name: "g", interval: minute, rules: [
            RuleSpec(kind: .alert("Dup"), expr: "x", labels: ["a": "same"]),
            RuleSpec(kind: .record("ok"), expr: "sum(x)"),
            RuleSpec(kind: .record("bad"), expr: "sum(("),
        ])
        let evaluator = GroupEvaluator(spec: group, environment: environment())
        evaluator.evaluate(at: minute)
        let status = evaluator.status()
        #expect(status.rules.map(\.health) == [.err, .ok, .err])
        #expect(status.rules[0].lastError == "vector contains metrics with the same labelset after applying alert labels")
        #expect(status.metrics.failures == 2 && status.metrics.evaluations == 1)
        #expect(try latest("ok", at: minute).first?.samples == [Sample(minute, 2)])
    }

    @Test func stateSurvivesRestartAndClearedAlertResolvesAfterIt() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lookout.db").path
        try store.append([LabeledSample(["__name__": "x", "job": "api"], Sample(0, 5)),
                          LabeledSample(["__name__": "y", "job": "api"], Sample(0, 5))])
        let group = GroupSpec(name: "g", file: "rules.yml", interval: minute, rules: [
            RuleSpec(kind: .alert("Fast"), expr: "x > 1", forDuration: minute),
            RuleSpec(kind: .alert("Slow"), expr: "y > 1", forDuration: 10 * minute),
        ])
        do {
            let first = GroupEvaluator(spec: group, environment: environment(stateStore: try AlertStateStore(path: path)))
            first.evaluate(at: minute)
            first.evaluate(at: 2 * minute)
            #expect(sink.batches.flatMap { $0 }.map(\.name) == ["Fast"])
        }
        // "Restart": x cleared while down; y still holds, its pending clock continues.
        try store.append([LabeledSample(["__name__": "x", "job": "api"], Sample(5 * minute, 0)),
                          LabeledSample(["__name__": "y", "job": "api"], Sample(10 * minute, 5))])
        let reopened = try AlertStateStore(path: path)
        let rows = try reopened.loadAll()
        #expect(rows.map(\.alert.state) == [.firing, .pending])
        let second = GroupEvaluator(spec: group, environment: environment(stateStore: reopened), restored: rows)
        let before = sink.batches.count
        second.evaluate(at: 11 * minute)
        let afterRestart = sink.batches.dropFirst(before).flatMap { $0 }
        #expect(afterRestart.map(\.name) == ["Fast", "Slow"])
        let resolved = afterRestart.filter(\.isResolved)
        #expect(resolved.map(\.name) == ["Fast"])
        #expect(resolved.first?.resolvedAt == 11 * minute && resolved.first?.activeAt == minute)
        let slow = second.status().rules[1].alerts
        #expect(slow.map(\.state) == [.firing] && slow.first?.activeAt == minute)
        #expect(try reopened.loadAll().first { $0.alert.name == "Fast" }?.alert.resolvedAt == 11 * minute)
    }
}

/// An alert state store whose disk can be made to fail.
final class FailingStateStore: AlertStatePersistence {
    struct DiskFull: Error, CustomStringConvertible { var description: String { "database or disk is full" } }
    let failing = Mutex(true)
    func save(_ alerts: [PersistedAlert]) throws { if failing.withLock({ $0 }) { throw DiskFull() } }
    func delete(_ keys: [(ruleKey: String, labels: Labels)]) throws { if failing.withLock({ $0 }) { throw DiskFull() } }
    func loadAll() throws -> [PersistedAlert] { [] }
}

@Suite struct AlertStatePersistenceFailureTests {
    @Test func aFailingStoreIsLoggedOnceAndItsRecoveryOnce() throws {
        let store = MemorySeriesStore()
        try store.append([LabeledSample(["__name__": "x", "job": "api"], Sample(0, 5))])
        let (logger, logs) = RecordingLogHandler.logger()
        let failing = FailingStateStore()
        let environment = RuleEnvironment(query: RuleEnvironment.query(Engine(querier: store)), appender: store,
                                          notify: { _ in }, stateStore: failing, logger: logger)
        let group = GroupSpec(name: "g", interval: 60_000, rules: [RuleSpec(kind: .alert("High"), expr: "x > 0")])
        let evaluator = GroupEvaluator(spec: group, environment: environment)
        // Every round persists: the alert is re-sent each minute (a `sent` transition).
        for minute in 1...4 {
            try store.append([LabeledSample(["__name__": "x", "job": "api"], Sample(Int64(minute) * 60_000, 5))])
            evaluator.evaluate(at: Int64(minute) * 60_000)
        }
        #expect(logs.all.filter { $0.hasPrefix("error") && $0.contains("cannot persist alert state") }.count == 1, "\(logs.all)")
        failing.failing.withLock { $0 = false }
        for minute in 5...6 {
            try store.append([LabeledSample(["__name__": "x", "job": "api"], Sample(Int64(minute) * 60_000, 5))])
            evaluator.evaluate(at: Int64(minute) * 60_000)
        }
        #expect(logs.all.filter { $0.contains("alert state persisted again") }.count == 1, "\(logs.all)")
    }
}
