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
    ///
    /// Each group runs on a thread of its own, outside the cooperative pool: evaluation blocks
    /// (PromQL over SQLite), and neither a slow group nor a busy pool (an API flood) may delay
    /// another group's rounds.
    public func run() async {
        let stop = StopSignal()
        let finished = DispatchGroup()
        for group in groups {
            finished.enter()
            let thread = Thread { [self] in
                self.loop(group, stop: stop)
                finished.leave()
            }
            thread.name = "lookout-rules"
            thread.start()
        }
        let (stream, continuation) = AsyncStream<Never>.makeStream()
        await withTaskCancellationHandler {
            for await _ in stream {}
        } onCancel: {
            continuation.finish()
        }
        stop.fire()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            finished.notify(queue: .global()) { done.resume() }
        }
    }

    private func loop(_ group: GroupEvaluator, stop: StopSignal) {
        let interval = max(group.spec.interval, 1)
        var next = now()
        while !stop.isFired {
            group.evaluate(at: next)
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
            if wait > 0 { stop.wait(milliseconds: wait) }
        }
    }

    /// Snapshots of every group.
    public func status() -> [RuleGroupStatus] { groups.map { $0.status() } }

    /// Every active alert (pending, firing, and resolved within retention) of every group.
    public func alerts() -> [Alert] {
        groups.flatMap { $0.status().rules.flatMap(\.alerts) }
    }
}

/// A stop flag that sleeping group threads wake up for at once.
final class StopSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var fired = false

    var isFired: Bool {
        condition.lock()
        defer { condition.unlock() }
        return fired
    }

    func fire() {
        condition.lock()
        fired = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps up to `milliseconds`, returning early when fired.
    func wait(milliseconds: Int64) {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(Double(milliseconds) / 1000)
        while !fired && condition.wait(until: deadline) {}
    }
}
