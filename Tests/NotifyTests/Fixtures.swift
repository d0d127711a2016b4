import Model
import Storage
@testable import Notify

func firing(_ labels: Labels, at time: Timestamp = 0, annotations: Labels = Labels()) -> Alert {
    Alert(labels: labels, annotations: annotations, state: .firing, value: 1, activeAt: time, firedAt: time)
}

func resolved(_ labels: Labels, firedAt: Timestamp = 0, at time: Timestamp) -> Alert {
    Alert(labels: labels, state: .inactive, value: 0, activeAt: firedAt, firedAt: firedAt, resolvedAt: time)
}

func m(_ text: String) -> Matcher { try! MatcherParser.parse(text) }

let second: Int64 = 1000
let minute: Int64 = 60_000

/// Drives `NotifyCore` with a manual clock and records every notification queued.
struct Harness {
    var core: NotifyCore
    var now: Timestamp = 0
    var silences: [Silence] = []
    var sent: [(at: Timestamp, notification: GroupNotification)] = []

    init(_ settings: NotifySettings) { core = NotifyCore(settings: settings) }

    /// What the rules currently hand in; re-sent at every step, as the rules do each evaluation.
    var current: [Labels: Alert] = [:]

    mutating func receive(_ alerts: [Alert]) {
        for alert in alerts { current[alert.labels] = alert }
        core.receive(alerts, now: now)
    }

    /// The rules stop handing an alert in.
    mutating func forget(_ labels: Labels) { current[labels] = nil }

    /// Advances the clock second by second up to `time`, ticking at each step.
    mutating func advance(to time: Timestamp, step: Int64 = second) {
        while now <= time {
            core.receive(Array(current.values), now: now)
            for (flush, planned) in core.tick(now: now, silences: silences) {
                for p in planned { if let n = p.notification { sent.append((now, n)) } }
                core.commit(flush, planned)
            }
            now += step
        }
        now = time
    }

    var times: [Timestamp] { sent.map(\.at) }
}

func settings(route: RouteSpec, inhibit: [InhibitRule] = []) -> NotifySettings {
    NotifySettings(route: route, channels: [:], inhibitRules: inhibit)
}
