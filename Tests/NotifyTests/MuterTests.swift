import Model
import Storage
import Testing
@testable import Notify

@Suite struct InhibitorTests {
    let rule = InhibitRule(source: [m("severity=critical")], target: [m("severity=warning")], equal: ["job"])

    @Test func criticalMutesWarningOfSameJobOnly() {
        let inhibitor = Inhibitor(rules: [rule], alerts: [firing(["alertname": "Down", "severity": "critical", "job": "api"])])
        #expect(inhibitor.mutes(["alertname": "Slow", "severity": "warning", "job": "api"]))
        #expect(!inhibitor.mutes(["alertname": "Slow", "severity": "warning", "job": "web"]))
        #expect(!inhibitor.mutes(["alertname": "Other", "severity": "critical", "job": "api"]))
    }

    @Test func resolvedSourceDoesNotInhibit() {
        let inhibitor = Inhibitor(rules: [rule], alerts: [resolved(["severity": "critical", "job": "api"], at: 5)])
        #expect(!inhibitor.mutes(["severity": "warning", "job": "api"]))
    }

    @Test func missingEqualLabelOnBothSidesCountsAsEqual() {
        let inhibitor = Inhibitor(rules: [rule], alerts: [firing(["severity": "critical"])])
        #expect(inhibitor.mutes(["severity": "warning"]))
        #expect(!inhibitor.mutes(["severity": "warning", "job": "api"]))
    }

    @Test func alertsMatchingBothSidesDoNotMuteEachOther() {
        let both = InhibitRule(source: [m("team=core")], target: [m("team=core")], equal: [])
        let a: Labels = ["alertname": "A", "team": "core"]
        let b: Labels = ["alertname": "B", "team": "core"]
        let inhibitor = Inhibitor(rules: [both], alerts: [firing(a), firing(b)])
        #expect(!inhibitor.mutes(a) && !inhibitor.mutes(b))
    }
}

@Suite struct SilenceTests {
    let silence = Silence(id: "s1", matchers: [m("job=api"), m("severity=~warning|info")], startsAt: 100, endsAt: 200,
                          createdBy: "ops", comment: "deploy", updatedAt: 50)

    @Test func statesOverTime() {
        #expect(silence.state(at: 99) == .pending)
        #expect(silence.state(at: 100) == .active)
        #expect(silence.state(at: 199) == .active)
        #expect(silence.state(at: 200) == .expired)
    }

    @Test func mutesOnlyWhileActiveAndMatching() {
        let labels: Labels = ["job": "api", "severity": "warning"]
        #expect(!SilenceMuter(silences: [silence], now: 99).mutes(labels))
        #expect(SilenceMuter(silences: [silence], now: 150).mutes(labels))
        #expect(!SilenceMuter(silences: [silence], now: 150).mutes(["job": "api", "severity": "critical"]))
        #expect(!SilenceMuter(silences: [silence], now: 200).mutes(labels))
    }
}

@Suite struct DedupTests {
    typealias D = DedupDecision
    static let entry = NotificationLogEntry(firing: [1, 2], resolved: [3], sentAt: 1000)

    @Test(arguments: [
        (nil, [1], [], true, 2000, D.firstNotification),
        (nil, [], [1], true, 2000, .onlyResolvedNeverNotified),
        (entry, [1, 2, 4], [], true, 2000, .newFiring),
        (entry, [1, 2], [3], true, 2000, .unchanged),
        (entry, [1], [2, 3], true, 2000, .newlyResolved),
        (entry, [1], [2, 3], false, 2000, .unchanged),
        (entry, [], [1, 2, 3], false, 2000, .allResolved),
        (NotificationLogEntry(firing: [], resolved: [1], sentAt: 0), [], [1, 2], true, 2000, .resolvedBeforeNotified),
        (entry, [1, 2], [3], true, 1000 + 3_600_000, .repeatDue),
        (entry, [1, 2], [3], true, 1000 + 3_599_999, .unchanged),
    ] as [(NotificationLogEntry?, Set<UInt64>, Set<UInt64>, Bool, Timestamp, D)])
    func decisions(entry: NotificationLogEntry?, firing: Set<UInt64>, resolved: Set<UInt64>, sendResolved: Bool,
                   now: Timestamp, expected: D) {
        let decision = D.decide(entry: entry, firing: firing, resolved: resolved, repeatInterval: 3_600_000,
                                sendResolved: sendResolved, now: now)
        #expect(decision == expected)
    }
}

@Suite struct BackoffTests {
    let policy = DeliveryPolicy(initialBackoff: 1000, maxBackoff: 60_000, maxAge: 3_600_000)

    @Test func doublesWithJitterWithinBounds() {
        for attempt in 1...10 {
            let ceiling = min(60_000, Int64(1000) << Int64(attempt - 1))
            let low = Backoff.delay(attempt: attempt, policy: policy, retryAfter: nil, random: 0)
            let high = Backoff.delay(attempt: attempt, policy: policy, retryAfter: nil, random: 0.999_999)
            #expect(low == ceiling / 2)
            #expect(high <= ceiling && high > ceiling * 9 / 10)
        }
    }

    @Test func retryAfterWinsWhenLonger() {
        #expect(Backoff.delay(attempt: 1, policy: policy, retryAfter: 30_000, random: 0.5) == 30_000)
        #expect(Backoff.delay(attempt: 8, policy: policy, retryAfter: 1000, random: 0) == 30_000)
    }
}
