import Model
import Notify

/// A generic webhook receiving Alertmanager's webhook payload version 4, so receivers written for
/// Alertmanager work unchanged. Optional bearer token.
struct WebhookChannel: Channel {
    let name: String
    let spec: WebhookSpec
    let transport: any HTTPTransport
    let timeout: Int64

    struct Payload: Encodable {
        var version = "4"
        var groupKey: String
        var truncatedAlerts: Int
        var status: String
        var receiver: String
        var groupLabels: Labels
        var commonLabels: Labels
        var commonAnnotations: Labels
        var externalURL: String
        var alerts: [AlertPayload]
    }

    struct AlertPayload: Encodable {
        var status: String
        var labels: Labels
        var annotations: Labels
        var startsAt: String
        var endsAt: String
        var generatorURL: String
        var fingerprint: String
    }

    func render(_ n: GroupNotification) throws -> OutboundHTTPRequest {
        let kept = spec.maxAlerts > 0 ? Array(n.alerts.prefix(spec.maxAlerts)) : n.alerts
        let payload = Payload(groupKey: n.groupKey, truncatedAlerts: n.alerts.count - kept.count,
                              status: n.isResolved ? "resolved" : "firing", receiver: name,
                              groupLabels: n.groupLabels, commonLabels: n.commonLabels,
                              commonAnnotations: n.commonAnnotations, externalURL: n.externalURL,
                              alerts: kept.map(Self.alert))
        var headers = [("Content-Type", "application/json"), ("User-Agent", "Lookout")]
        if let token = spec.bearerToken, !token.isEmpty { headers.append(("Authorization", "Bearer \(token)")) }
        return OutboundHTTPRequest(url: spec.url, headers: headers, body: try Formats.json(payload))
    }

    func send(_ request: OutboundHTTPRequest) async -> DeliveryResult {
        await HTTPClassifier.send(request, via: transport, timeout: timeout)
    }

    static func alert(_ a: Alert) -> AlertPayload {
        let fingerprint = String(Fingerprint.of(a.labels), radix: 16)
        return AlertPayload(status: a.isResolved ? "resolved" : "firing", labels: a.labels, annotations: a.annotations,
                            startsAt: UTCTime(a.firedAt ?? a.activeAt).rfc3339,
                            endsAt: a.resolvedAt.map { UTCTime($0).rfc3339 } ?? UTCTime.goZeroTime,
                            generatorURL: a.generatorURL,
                            fingerprint: String(repeating: "0", count: 16 - fingerprint.count) + fingerprint)
    }
}
