import Testing
import Model
@testable import Rules

@Suite struct AlertRuleStateTests {
    let minute: Int64 = 60_000
    let labels: Labels = ["alertname": "HighLatency", "job": "api"]

    func candidate(_ value: Double = 1) -> [AlertCandidate] {
        [AlertCandidate(labels: labels, annotations: ["summary": "slow"], value: value)]
    }

    func kinds(_ transitions: [AlertTransition]) -> [String] {
        transitions.map {
            switch $0 {
            case .pending: "pending"
            case .firing: "firing"
            case .keepFiring: "keepFiring"
            case .resolved: "resolved"
            case .removed: "removed"
            case .sent: "sent"
            }
        }
    }

    @Test func pendingThenFiringAfterFor() {
        var state = AlertRuleState(holdDuration: 5 * minute)
        #expect(kinds(state.evaluate(candidate(), at: 0)) == ["pending"])
        #expect(kinds(state.evaluate(candidate(), at: 4 * minute)) == [])
        #expect(state.alerts[labels]?.alert.state == .pending)
        #expect(state.alertsToSend(at: 4 * minute, resendDelay: minute).0.isEmpty)
        #expect(kinds(state.evaluate(candidate(2), at: 5 * minute)) == ["firing"])
        let alert = state.alerts[labels]!.alert
        #expect(alert.activeAt == 0 && alert.firedAt == 5 * minute && alert.value == 2)
    }

    @Test func zeroForFiresOnFirstEvaluation() {
        var state = AlertRuleState(holdDuration: 0)
        #expect(kinds(state.evaluate(candidate(), at: 1000)) == ["pending", "firing"])
    }

    @Test func pendingThatClearsIsForgottenSilently() {
        var state = AlertRuleState(holdDuration: 5 * minute)
        _ = state.evaluate(candidate(), at: 0)
        #expect(kinds(state.evaluate([], at: minute)) == ["removed"])
        #expect(state.alerts.isEmpty)
        #expect(state.alertsToSend(at: minute, resendDelay: minute).0.isEmpty)
    }

    @Test func resolvedIsSentAtOnceThenResentAndForgottenAfterRetention() {
        var state = AlertRuleState(holdDuration: 0)
        _ = state.evaluate(candidate(), at: 0)
        #expect(state.alertsToSend(at: 0, resendDelay: minute).0.map(\.state) == [.firing])
        #expect(state.alertsToSend(at: 30_000, resendDelay: minute).0.isEmpty)
        #expect(kinds(state.evaluate([], at: 30_000)) == ["resolved"])
        let sent = state.alertsToSend(at: 30_000, resendDelay: minute).0
        #expect(sent.count == 1 && sent[0].resolvedAt == 30_000 && sent[0].isResolved)
        #expect(state.alertsToSend(at: 60_000, resendDelay: minute).0.isEmpty)
        #expect(state.alertsToSend(at: 91_000, resendDelay: minute).0.count == 1)
        #expect(kinds(state.evaluate([], at: 30_000 + 15 * minute)) == [])
        #expect(kinds(state.evaluate([], at: 30_001 + 15 * minute)) == ["removed"])
    }

    @Test func keepFiringForHoldsTheAlert() {
        var state = AlertRuleState(holdDuration: 0, keepFiringFor: 10 * minute)
        _ = state.evaluate(candidate(), at: 0)
        #expect(kinds(state.evaluate([], at: minute)) == ["keepFiring"])
        #expect(state.alerts[labels]?.alert.state == .firing)
        #expect(kinds(state.evaluate([], at: 10 * minute)) == [])
        // The condition returns: the keep-firing clock resets.
        _ = state.evaluate(candidate(), at: 11 * minute)
        #expect(state.alerts[labels]?.keepFiringSince == nil)
        #expect(kinds(state.evaluate([], at: 12 * minute)) == ["keepFiring"])
        #expect(kinds(state.evaluate([], at: 22 * minute)) == ["resolved"])
        #expect(state.alerts[labels]?.alert.resolvedAt == 22 * minute)
    }

    @Test func firingAgainAfterResolveStartsANewPendingPeriod() {
        var state = AlertRuleState(holdDuration: 2 * minute)
        _ = state.evaluate(candidate(), at: 0)
        _ = state.evaluate(candidate(), at: 2 * minute)
        _ = state.evaluate([], at: 3 * minute)
        #expect(kinds(state.evaluate(candidate(), at: 4 * minute)) == ["pending"])
        #expect(state.alerts[labels]?.alert.activeAt == 4 * minute)
        #expect(state.alerts[labels]?.alert.resolvedAt == nil)
    }

    @Test func restoredPendingClockContinues() {
        let restored = TrackedAlert(alert: Alert(labels: labels, state: .pending, value: 1, activeAt: 0))
        var state = AlertRuleState(holdDuration: 5 * minute, restored: [restored])
        #expect(kinds(state.evaluate(candidate(), at: 5 * minute)) == ["firing"])
        #expect(state.alerts[labels]?.alert.activeAt == 0)
    }

    @Test func restoredFiringIsNotResentBeforeResendDelayAndResolvesWhenGone() {
        let restored = TrackedAlert(alert: Alert(labels: labels, state: .firing, value: 1, activeAt: 0, firedAt: minute),
                                    lastSentAt: 10 * minute)
        var state = AlertRuleState(holdDuration: minute, restored: [restored])
        _ = state.evaluate(candidate(), at: 10 * minute + 30_000)
        #expect(state.alertsToSend(at: 10 * minute + 30_000, resendDelay: minute).0.isEmpty)
        #expect(kinds(state.evaluate([], at: 11 * minute)) == ["resolved"])
        #expect(state.alertsToSend(at: 11 * minute, resendDelay: minute).0.first?.resolvedAt == 11 * minute)
    }

    @Test func alertsSeriesAsPrometheusWritesThem() {
        var state = AlertRuleState(holdDuration: 5 * minute)
        _ = state.evaluate(candidate(), at: 90_500)
        let samples = state.seriesSamples(at: 90_500)
        #expect(samples == [
            LabeledSample(["__name__": "ALERTS", "alertname": "HighLatency", "alertstate": "pending", "job": "api"], Sample(90_500, 1)),
            LabeledSample(["__name__": "ALERTS_FOR_STATE", "alertname": "HighLatency", "job": "api"], Sample(90_500, 90)),
        ])
        _ = state.evaluate([], at: 2 * minute)
        #expect(state.seriesSamples(at: 2 * minute).isEmpty)
    }
}
