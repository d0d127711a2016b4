import Model
import Storage
import Testing
@testable import Notify

@Suite struct GroupingTests {
    static let route = RouteSpec(channels: ["slack"], groupBy: ["alertname"], groupWait: 30 * second,
                                 groupInterval: 5 * minute, repeatInterval: 60 * minute)

    @Test func groupWaitCollectsThenIntervalAndRepeatTime() {
        var h = Harness(settings(route: Self.route))
        h.now = 10 * second
        h.receive([firing(["alertname": "High", "instance": "a"], at: 10 * second)])
        h.advance(to: 20 * second)
        h.receive([firing(["alertname": "High", "instance": "b"], at: 20 * second)])
        h.advance(to: 39 * second)
        #expect(h.sent.isEmpty)
        h.advance(to: 40 * second)
        #expect(h.times == [40 * second])
        #expect(h.sent[0].notification.alerts.count == 2)
        // Nothing new: nothing at the group intervals, a repeat after repeat_interval.
        h.advance(to: 40 * second + 59 * minute)
        #expect(h.sent.count == 1)
        h.advance(to: 40 * second + 65 * minute)
        #expect(h.times == [40 * second, 40 * second + 60 * minute])
    }

    @Test func newAlertIsSentAtNextGroupInterval() {
        var h = Harness(settings(route: Self.route))
        h.receive([firing(["alertname": "High", "instance": "a"])])
        h.advance(to: 31 * second)
        h.now = 2 * minute
        h.receive([firing(["alertname": "High", "instance": "b"], at: 2 * minute)])
        h.advance(to: 6 * minute)
        #expect(h.times == [30 * second, 30 * second + 5 * minute])
        #expect(h.sent[1].notification.title == "[FIRING:2] High")
    }

    @Test func resolvedIsSentOnceThenGroupDisappears() {
        var h = Harness(settings(route: Self.route))
        let labels: Labels = ["alertname": "High", "severity": "critical"]
        h.receive([firing(labels)])
        h.advance(to: 31 * second)
        h.receive([resolved(labels, at: minute)])
        h.forget(labels)
        h.advance(to: 20 * minute)
        #expect(h.times == [30 * second, 30 * second + 5 * minute])
        #expect(h.sent[1].notification.isResolved)
        #expect(h.sent[1].notification.title == "[RESOLVED] High (critical)")
        #expect(h.core.dispatcher.groups.isEmpty)
    }

    @Test func separateGroupsPerGroupByValue() {
        var h = Harness(settings(route: Self.route))
        h.receive([firing(["alertname": "A"]), firing(["alertname": "B"]), firing(["alertname": "A", "x": "1"])])
        h.advance(to: 30 * second)
        #expect(h.sent.map(\.notification.alerts.count).sorted() == [1, 2])
        #expect(Set(h.sent.map(\.notification.groupKey)) == [#"{}:{alertname="A"}"#, #"{}:{alertname="B"}"#])
    }

    @Test func oldAlertSkipsGroupWait() {
        var h = Harness(settings(route: Self.route))
        h.now = 10 * minute
        h.receive([firing(["alertname": "Old"], at: 0)])
        h.advance(to: 10 * minute)
        #expect(h.times == [10 * minute])
    }

    @Test func sendResolvedOffSendsNoResolveButForgets() {
        var route = Self.route
        route.sendResolved = false
        var h = Harness(settings(route: route))
        h.receive([firing(["alertname": "A"])])
        h.advance(to: 31 * second)
        h.receive([resolved(["alertname": "A"], at: minute)])
        h.advance(to: 10 * minute)
        #expect(h.sent.count == 1)
        #expect(h.core.log.values.first?.firing.isEmpty == true)
    }

    @Test func alertsNoLongerHandedInResolveAfterTimeout() {
        var s = settings(route: Self.route)
        s.resolveTimeout = 5 * minute
        var h = Harness(s)
        h.receive([firing(["alertname": "A"])])
        h.advance(to: minute)
        h.forget(["alertname": "A"])
        h.advance(to: 12 * minute)
        #expect(h.sent.count == 2)
        #expect(h.sent[1].notification.alerts[0].resolvedAt == 6 * minute)
    }

    @Test func inhibitedWarningIsNotSentWhileCriticalFires() {
        let rule = InhibitRule(source: [m("severity=critical")], target: [m("severity=warning")], equal: ["job"])
        var h = Harness(settings(route: Self.route, inhibit: [rule]))
        h.receive([firing(["alertname": "Down", "severity": "critical", "job": "api"]),
                   firing(["alertname": "Slow", "severity": "warning", "job": "api"]),
                   firing(["alertname": "Slow", "severity": "warning", "job": "web"])])
        h.advance(to: 30 * second)
        let slow = h.sent.filter { $0.notification.groupLabels["alertname"] == "Slow" }
        #expect(slow.count == 1)
        #expect(slow[0].notification.alerts.map { $0.labels["job"] } == ["web"])
    }

    @Test func silencedAlertsAreNotSentUntilTheSilenceEnds() {
        var h = Harness(settings(route: Self.route))
        h.silences = [Silence(id: "1", matchers: [m("alertname=A")], startsAt: 0, endsAt: 10 * minute,
                              createdBy: "me", comment: "", updatedAt: 0)]
        h.receive([firing(["alertname": "A"]), firing(["alertname": "B"])])
        h.advance(to: 9 * minute)
        #expect(h.sent.map { $0.notification.groupLabels["alertname"] } == ["B"])
        h.receive([firing(["alertname": "A"])])
        h.advance(to: 11 * minute)
        #expect(h.sent.map { $0.notification.groupLabels["alertname"] } == ["B", "A"])
        #expect(h.sent[1].at == 30 * second + 10 * minute)
    }

    @Test func continueRouteNotifiesEachChannelOnce() {
        let route = RouteSpec(channels: ["default"], groupWait: 0, routes: [
            RouteSpec(matchers: [m("team=core")], channels: ["a", "b", "a"], continueMatching: true),
            RouteSpec(matchers: [m("severity=critical")], channels: ["pager"]),
        ])
        var h = Harness(settings(route: route))
        h.receive([firing(["team": "core", "severity": "critical"])])
        h.advance(to: 0)
        #expect(h.sent.map(\.notification.channel).sorted() == ["a", "b", "pager"])
    }
}
