import Foundation
import Logging
import Model
import Storage
import Synchronization

/// Evaluates one rule group: its rules in order at one timestamp, so recording rules feed later
/// rules of the same round. Holds each alerting rule's `AlertRuleState`, persists transitions,
/// writes results and `ALERTS` series, marks vanished series stale and hands alerts to `notify`.
///
/// `evaluate(at:)` must not run concurrently with itself (the manager runs one round at a time per
/// group); `status()` may be called from anywhere.
public final class GroupEvaluator: Sendable {
    /// The group evaluated.
    public let spec: GroupSpec
    let environment: RuleEnvironment
    let rules: [CompiledRule]
    private let state: Mutex<GroupState>
    /// Failures to persist alert state: a full or broken disk is logged once, and its recovery
    /// once, not at every evaluation.
    let persistFailures = FailureRun()

    struct GroupState: Sendable {
        var alertStates: [Int: AlertRuleState] = [:]
        var previousSeries: [Int: Set<Labels>] = [:]
        var statuses: [RuleStatus]
        var metrics: RuleGroupMetrics
    }

    /// Creates the evaluator; `restored` may hold rows of any rule, those of this group's alerting rules are taken.
    public init(spec: GroupSpec, environment: RuleEnvironment, restored: [PersistedAlert] = []) {
        self.spec = spec
        self.environment = environment
        rules = CompiledRule.compile(spec)
        var initial = GroupState(statuses: spec.rules.map { RuleStatus(rule: $0, health: .unknown, evaluationSeconds: 0, alerts: []) },
                                 metrics: RuleGroupMetrics(group: spec.name, file: spec.file))
        let byKey = Dictionary(grouping: restored, by: \.ruleKey)
        for (index, rule) in rules.enumerated() where rule.spec.isAlerting {
            let rows = byKey[rule.key] ?? []
            let ruleState = AlertRuleState(
                holdDuration: rule.spec.forDuration, keepFiringFor: rule.spec.keepFiringFor,
                restored: rows.map { TrackedAlert(alert: $0.alert, keepFiringSince: $0.keepFiringSince, lastSentAt: $0.lastSentAt) })
            initial.alertStates[index] = ruleState
            initial.statuses[index].alerts = ruleState.alerts.keys.sorted().map { ruleState.alerts[$0]!.alert }
        }
        state = Mutex(initial)
    }

    /// The persistence keys of this group's rules.
    public var ruleKeys: [String] { rules.map(\.key) }

    /// Runs one round at `ts` (ms). Rule failures are recorded in the status and metrics, logged,
    /// and do not stop later rules.
    public func evaluate(at ts: Timestamp) {
        var current = state.withLock { $0 }
        let roundStart = ContinuousClock.now
        for (index, rule) in rules.enumerated() {
            let ruleStart = ContinuousClock.now
            var status = current.statuses[index]
            do {
                let samples: [LabeledSample]
                if rule.spec.isAlerting {
                    var alertState = current.alertStates[index]!
                    defer { current.alertStates[index] = alertState }
                    samples = try evaluateAlerting(rule, &alertState, at: ts)
                    status.alerts = alertState.alerts.keys.sorted().map { alertState.alerts[$0]!.alert }
                } else {
                    samples = try evaluateRecording(rule, at: ts)
                }
                try write(samples, previous: &current.previousSeries[index], at: ts)
                status.health = .ok
                status.lastError = nil
            } catch {
                status.health = .err
                status.lastError = "\(error)"
                current.metrics.failures += 1
                environment.logger.warning("rule evaluation failed", metadata: [
                    "group": "\(spec.name)", "rule": "\(rule.spec.name)", "error": "\(error)",
                ])
            }
            status.lastEvaluation = ts
            status.evaluationSeconds = (ContinuousClock.now - ruleStart).seconds
            current.statuses[index] = status
        }
        let elapsed = (ContinuousClock.now - roundStart).seconds
        current.metrics.evaluations += 1
        current.metrics.lastDurationSeconds = elapsed
        current.metrics.totalDurationSeconds += elapsed
        current.metrics.lastEvaluation = ts
        let final = current
        state.withLock { $0 = final }
    }

    /// Records an evaluation round that was skipped because the previous one overran.
    func recordMissed(_ count: Int) {
        state.withLock { $0.metrics.missedIterations += count }
    }

    /// A snapshot of rule health, active alerts and counters.
    public func status() -> RuleGroupStatus {
        state.withLock { RuleGroupStatus(spec: spec, rules: $0.statuses, metrics: $0.metrics) }
    }

    private func evaluateRecording(_ rule: CompiledRule, at ts: Timestamp) throws -> [LabeledSample] {
        let vector = try environment.query(rule.spec.expr, ts)
        var seen = Set<Labels>()
        var out: [LabeledSample] = []
        out.reserveCapacity(vector.count)
        for element in vector {
            var labels = element.labels.setting(Labels.metricName, to: rule.spec.name)
            for (name, value) in rule.spec.labels { labels = labels.setting(name, to: value) }
            guard seen.insert(labels).inserted else {
                throw RuleEvaluationError(description: "vector contains metrics with the same labelset after applying rule labels")
            }
            out.append(LabeledSample(labels, Sample(ts, element.value)))
        }
        if spec.limit > 0 && out.count > spec.limit {
            throw RuleEvaluationError(description: "exceeded limit of \(spec.limit) with \(out.count) series")
        }
        return out
    }

    /// Appends this rule's samples plus stale markers for series it wrote last round but not now.
    private func write(_ samples: [LabeledSample], previous: inout Set<Labels>?, at ts: Timestamp) throws {
        let current = Set(samples.map(\.labels))
        var batch = samples
        for labels in previous ?? [] where !current.contains(labels) {
            batch.append(LabeledSample(labels, Sample(ts, StaleMarker.value)))
        }
        if !batch.isEmpty { try environment.appender.append(batch) }
        previous = current
    }
}

extension RuleSpec {
    var isAlerting: Bool {
        if case .alert = kind { return true }
        return false
    }
}

extension Duration {
    var seconds: Double { PromDuration.seconds(self) }
}
