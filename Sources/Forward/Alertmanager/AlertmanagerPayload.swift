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
        out += ",\"startsAt\":\"" + AlertmanagerJSON.time(startsAt) + "\""
        out += ",\"endsAt\":\"" + AlertmanagerJSON.time(endsAt) + "\""
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

    /// RFC 3339 in UTC with milliseconds, as go-openapi's `strfmt.DateTime` marshals:
    /// `2026-11-23T19:31:33.123Z`.
    static func time(_ ms: Timestamp) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - seconds * 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "." + pad(millis, 3) + "Z"
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
