import Foundation
import Testing
import Model
import Storage
@testable import Rules

@Suite struct RuleManagerTests {
    @Test func slowGroupDoesNotDelayAnother() async throws {
        let store = MemorySeriesStore()
        // Slow evaluations block until the test lets them go, so the outcome does not depend on load.
        let gate = Latch()
        let query: QueryFunc = { expr, _ in
            if expr == "slow" { gate.wait() }
            return [QuerySample(labels: Labels(), value: 1)]
        }
        let environment = RuleEnvironment(query: query, appender: store, notify: { _ in })
        // More slow groups than cores: their blocking evaluations must not hold up the fast one.
        let slowGroups = (0..<6).map { GroupSpec(name: "slow\($0)", interval: 10, rules: [RuleSpec(kind: .record("s"), expr: "slow")]) }
        let manager = try RuleManager(groups: [slowGroups[0], GroupSpec(name: "fast", interval: 10, rules: [RuleSpec(kind: .record("f"), expr: "fast")])]
                                      + slowGroups.dropFirst(), environment: environment)
        let task = Task { await manager.run() }
        defer { task.cancel() }
        try await waitUntil { manager.groups[1].status().metrics.evaluations >= 5 }
        #expect(manager.groups[1].status().metrics.evaluations >= 5)
        #expect(manager.groups[0].status().metrics.evaluations == 0)
        gate.release()
        try await waitUntil { manager.groups[0].status().metrics.missedIterations > 0 }
        task.cancel()
        await task.value
        #expect(manager.groups[0].status().metrics.evaluations >= 1)
        #expect(manager.groups[0].status().metrics.missedIterations > 0)
    }

    /// Polls `condition` until it holds or 60 s pass.
    private func waitUntil(_ condition: () -> Bool) async throws {
        // Generous: the manager is started by a task, which a busy cooperative pool (other tests
        // in a parallel run) may start late; the groups themselves run on threads of their own.
        let deadline = Date().addingTimeInterval(60)
        while !condition() && Date() < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func forgetsStateOfRulesThatNoLongerExist() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stateStore = try AlertStateStore(path: dir.appendingPathComponent("db").path)
        let alert = Alert(labels: ["alertname": "Gone"], state: .firing, value: 1, activeAt: 0, firedAt: 0)
        try stateStore.save([PersistedAlert(ruleKey: "old.yml#g#Gone", alert: alert),
                             PersistedAlert(ruleKey: "#g#Kept", alert: alert)])
        let environment = RuleEnvironment(query: { _, _ in [] }, appender: MemorySeriesStore(), notify: { _ in }, stateStore: stateStore)
        let manager = try RuleManager(groups: [GroupSpec(name: "g", interval: 1000, rules: [RuleSpec(kind: .alert("Kept"), expr: "x")])],
                                      environment: environment)
        #expect(try stateStore.loadAll().map(\.ruleKey) == ["#g#Kept"])
        #expect(manager.alerts().map(\.name) == ["Gone"])
    }
}

/// Blocks callers of `wait()` until `release()`; stays open afterwards.
private final class Latch: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false

    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }

    func release() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}
