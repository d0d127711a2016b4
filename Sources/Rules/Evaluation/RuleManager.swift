import Foundation
import Logging
import Model
import Storage

/// Runs every rule group on its own interval, independently: a slow group never delays another.
/// Restores alert state from `environment.stateStore` when created (and forgets rows of rules that
/// no longer exist), so a rebuilt manager (restart or reload) continues where the last one stopped.
public final class RuleManager: Sendable {
    /// The groups, in configuration order.
    public let groups: [GroupEvaluator]
    private let environment: RuleEnvironment
    private let now: @Sendable () -> Timestamp

    /// Creates the manager. `now` is the wall clock in ms (evaluation timestamps).
    /// Throws when stored alert state cannot be read.
    public init(groups specs: [GroupSpec], environment: RuleEnvironment,
                now: @escaping @Sendable () -> Timestamp = { Timestamp((Date().timeIntervalSince1970 * 1000).rounded(.down)) }) throws {
        let restored = try environment.stateStore?.loadAll() ?? []
        groups = specs.map { GroupEvaluator(spec: $0, environment: environment, restored: restored) }
        self.environment = environment
        self.now = now
        let known = Set(groups.flatMap(\.ruleKeys))
        let orphans = restored.filter { !known.contains($0.ruleKey) }
        if !orphans.isEmpty {
            try environment.stateStore?.delete(orphans.map { (ruleKey: $0.ruleKey, labels: $0.alert.labels) })
        }
    }

    /// Evaluates every group on its interval until the task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { taskGroup in
            for group in groups {
                taskGroup.addTask { await self.loop(group) }
            }
        }
    }

    private func loop(_ group: GroupEvaluator) async {
        let interval = max(group.spec.interval, 1)
        // Evaluation blocks (queries, SQLite): it runs on the group's own serial queue, which gets a
        // thread of its own, so slow groups cannot starve the others or the cooperative pool.
        let queue = DispatchQueue(label: "lookout.rules.\(group.spec.name)")
        var next = now()
        while !Task.isCancelled {
            let at = next
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                queue.async {
                    group.evaluate(at: at)
                    done.resume()
                }
            }
            next += interval
            let current = now()
            if current >= next + interval {
                // The round overran: skip the ticks that passed rather than evaluating in a burst.
                let missed = Int((current - next) / interval)
                next += Int64(missed) * interval
                group.recordMissed(missed)
                environment.logger.warning("rule group missed evaluations", metadata: [
                    "group": "\(group.spec.name)", "file": "\(group.spec.file)", "missed": "\(missed)",
                ])
            }
            let wait = next - now()
            if wait > 0 {
                do { try await Task.sleep(for: .milliseconds(wait)) } catch { return }
            }
        }
    }

    /// Snapshots of every group.
    public func status() -> [RuleGroupStatus] { groups.map { $0.status() } }

    /// Every active alert (pending, firing, and resolved within retention) of every group.
    public func alerts() -> [Alert] {
        groups.flatMap { $0.status().rules.flatMap(\.alerts) }
    }
}
