import Model

/// The outcome of one probe, with the reason it failed in words an operator understands.
public struct ProbeResult: Sendable, Equatable {
    /// The check's name.
    public var check: String
    /// When the probe started, in milliseconds since the epoch.
    public var timestamp: Timestamp
    /// Whether every expectation held.
    public var success: Bool
    /// Why it failed ("status 503", "latency 6.2s > 5s", "connection refused"); nil on success.
    public var reason: String?
    /// Total time of the request or connect.
    public var duration: Duration
    /// The final HTTP status; 0 when no response arrived or for TCP checks.
    public var httpStatus: Int
    /// The earliest certificate expiry in the chain (Unix seconds), for HTTPS checks.
    public var certificateExpiry: Int64?
    /// Whether this was an HTTP check (and so has a status series).
    public var isHTTP: Bool

    /// The probe's series, each labelled `check=<name>`, at `timestamp`.
    public var samples: [LabeledSample] {
        let check = Label("check", self.check)
        func sample(_ name: String, _ value: Double) -> LabeledSample {
            LabeledSample(Labels(sortedUnique: [Label(Labels.metricName, name), check]), Sample(timestamp, value))
        }
        var batch = [
            sample("probe_success", success ? 1 : 0),
            sample("probe_duration_seconds", duration.seconds),
        ]
        if isHTTP { batch.append(sample("probe_http_status_code", Double(httpStatus))) }
        if let certificateExpiry { batch.append(sample("probe_ssl_earliest_cert_expiry", Double(certificateExpiry))) }
        return batch
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double { PromDuration.seconds(self) }

    /// Short human form for reasons: `850ms`, `6.2s`.
    var humanReadable: String {
        let value = seconds
        if value < 1 { return "\(Int((value * 1000).rounded()))ms" }
        let tenths = (value * 10).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths))s" : "\(tenths)s"
    }
}
