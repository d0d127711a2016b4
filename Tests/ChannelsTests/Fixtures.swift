import Foundation
import Model
import Notify
import Testing
@testable import Channels

/// Render-only tests never send; this transport says so if they try.
struct NoTransport: HTTPTransport, SMTPTransport {
    func perform(_ request: OutboundHTTPRequest, timeoutMilliseconds: Int64) async throws(TransportError) -> OutboundHTTPResponse {
        throw TransportError(retryable: false, message: "not for sending")
    }

    func submit(_ message: EmailMessage, timeoutMilliseconds: Int64) async throws(TransportError) {
        throw TransportError(retryable: false, message: "not for sending")
    }
}

enum Samples {
    static let t0: Timestamp = 1_795_000_000_000  // 2026-11-18T11:06:40Z

    static let groupLabels: Labels = ["alertname": "HighErrorRate", "job": "api"]

    static func alert(instance: String, severity: String = "critical", resolvedAt: Timestamp? = nil) -> Alert {
        Alert(labels: ["alertname": "HighErrorRate", "job": "api", "instance": instance, "severity": severity],
              annotations: ["summary": "Error rate 12% on \(instance)", "description": "5xx over 10% for 5m",
                            "runbook_url": "https://wiki.example.com/runbooks/errors"],
              state: resolvedAt == nil ? .firing : .inactive, value: 0.1234, activeAt: t0 - 300_000, firedAt: t0,
              resolvedAt: resolvedAt, generatorURL: "http://lookout:9464/alerts")
    }

    static let firingGroup = GroupNotification(
        channel: "team", groupKey: #"{}/{severity="critical"}:{alertname="HighErrorRate", job="api"}"#,
        groupLabels: groupLabels, alerts: [alert(instance: "b:80"), alert(instance: "a:80")],
        externalURL: "http://lookout:9464/", createdAt: t0 + 30_000)

    static let resolvedGroup = GroupNotification(
        channel: "team", groupKey: firingGroup.groupKey, groupLabels: groupLabels,
        alerts: [alert(instance: "a:80", resolvedAt: t0 + 600_000), alert(instance: "b:80", resolvedAt: t0 + 600_000)],
        externalURL: "http://lookout:9464/", createdAt: t0 + 660_000)

    static let warningGroup = GroupNotification(
        channel: "team", groupKey: "{}:{alertname=\"HighErrorRate\", job=\"api\"}", groupLabels: groupLabels,
        alerts: [alert(instance: "a:80", severity: "warning"), alert(instance: "c:80", severity: "warning", resolvedAt: t0 + 1000)],
        createdAt: t0 + 30_000)
}

/// Compares with `testdata/NAME`; `LOOKOUT_UPDATE_GOLDEN=1` rewrites the file instead.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("testdata/\(name)")
    if ProcessInfo.processInfo.environment["LOOKOUT_UPDATE_GOLDEN"] == "1" {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "golden \(name)", sourceLocation: sourceLocation)
}

/// Pretty-prints JSON with sorted keys so golden files are readable and diffs small.
func pretty(_ body: [UInt8]) throws -> String {
    let object = try JSONSerialization.jsonObject(with: Data(body))
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self) + "\n"
}
