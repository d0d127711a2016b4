import Model

/// One alert as Alertmanager's `POST /api/v2/alerts` takes it (`PostableAlert`), filled in the
/// way Prometheus 2.42 does (`cmd/prometheus/main.go` `sendAlerts`): `startsAt` is when the alert
/// fired, `endsAt` is when it resolved, or for a firing alert a time a few evaluations ahead
/// (`ValidUntil`), so Alertmanager resolves it by itself if the sender goes quiet.
struct PostableAlert: Sendable, Equatable {
    var labels: Labels
    var annotations: Labels
    var startsAt: Timestamp
    var endsAt: Timestamp
    var generatorURL: String

    /// `validFor` is `4 × max(resend delay, evaluation interval)`: two missed evaluations or
    /// failed sends are tolerated before Alertmanager considers the alert over.
    init(alert: Alert, now: Timestamp, validFor: Int64) {
        labels = alert.labels
        annotations = alert.annotations
        startsAt = alert.firedAt ?? alert.activeAt
        endsAt = alert.resolvedAt ?? now + validFor
        generatorURL = alert.generatorURL
    }

    /// The JSON object, keys in a fixed order; empty annotations and an empty generator URL are
    /// left out, as Go's `omitempty` does.
    var json: String {
        var out = "{\"labels\":"
        AlertmanagerJSON.object(labels, into: &out)
        if !annotations.isEmpty {
            out += ",\"annotations\":"
            AlertmanagerJSON.object(annotations, into: &out)
        }
        out += ",\"startsAt\":\"" + UTCTime(startsAt).rfc3339Milliseconds + "\""
        out += ",\"endsAt\":\"" + UTCTime(endsAt).rfc3339Milliseconds + "\""
        if !generatorURL.isEmpty {
            out += ",\"generatorURL\":"
            AlertmanagerJSON.string(generatorURL, into: &out)
        }
        return out + "}"
    }

    /// The key under which queued versions of the same alert replace each other.
    var identity: String {
        var out = ""
        AlertmanagerJSON.object(labels, into: &out)
        return out
    }
}

/// The little JSON Alertmanager's API needs, written by hand so key order and time format are fixed.
enum AlertmanagerJSON {
    /// `[obj,obj,…]` from already encoded objects.
    static func array(_ objects: [String]) -> [UInt8] {
        Array(("[" + objects.joined(separator: ",") + "]").utf8)
    }

    static func object(_ labels: Labels, into out: inout String) {
        out += "{"
        for (index, label) in labels.enumerated() {
            if index > 0 { out += "," }
            string(label.name, into: &out)
            out += ":"
            string(label.value, into: &out)
        }
        out += "}"
    }

    static func string(_ text: String, into out: inout String) {
        JSONText.appendQuoted(text, to: &out)
    }
}
