import Model

/// Decoding of `checks:`.
enum CheckDecoder {
    static let keys = [
        "name", "http", "tcp", "method", "headers", "body", "interval", "timeout", "follow_redirects",
        "max_redirects", "ca_file", "insecure_skip_verify", "ip_version", "expect", "tls_min_days",
    ]
    static let httpOnlyKeys = ["method", "headers", "body", "follow_redirects", "max_redirects"]
    static let expectKeys = ["status", "max_latency", "body_contains", "body_regex", "json"]

    static func decode(_ cursor: Cursor) -> CheckConfig? {
        guard let fields = cursor.fields(keys) else { return nil }
        let name = fields.requiredString("name")
        let target = decodeTarget(fields)
        let interval = fields.duration("interval", positive: true) ?? 30_000
        let timeout = fields.duration("timeout", positive: true)
        if let timeout, timeout > interval, let node = fields["timeout"] {
            node.error("timeout \(PromDuration.format(timeout)) is longer than the interval \(PromDuration.format(interval))")
        }
        let headers = fields["headers"]?.headers() ?? [:]
        let method = fields.string("method")?.uppercased() ?? "GET"
        if !method.allSatisfy({ $0.isASCII && $0.isLetter }), let node = fields["method"] {
            node.error("invalid HTTP method \"\(method)\"")
        }
        var ipVersion = CheckConfig.IPVersion.any
        if let node = fields["ip_version"], let text = node.choice(["4", "6", "any"]) {
            ipVersion = CheckConfig.IPVersion(rawValue: text) ?? .any
        }
        let expect = fields["expect"].flatMap(decodeExpect) ?? CheckExpectation(
            status: nil, maxLatency: nil, bodyContains: nil, bodyRegex: nil, json: [])
        if case .tcp? = target { rejectHTTPOnly(fields, expect: fields["expect"]) }
        if method == "HEAD", let node = fields["expect"], let inner = node.fields(expectKeys) {
            for key in ["body_contains", "body_regex", "json"] where inner.has(key) {
                node.error("\"\(key)\" can never hold: a HEAD response has no body (use GET)", at: inner.keyPositions[key]!)
            }
        }
        let check = CheckConfig(
            name: name ?? "", target: target ?? .http(url: ""), method: method, headers: headers,
            body: fields.string("body"), interval: interval, timeout: min(timeout ?? 10_000, interval),
            followRedirects: fields.bool("follow_redirects") ?? true,
            maxRedirects: fields.int("max_redirects", in: 0...100) ?? 10,
            caFile: fields.readableFile("ca_file"), insecureSkipVerify: fields.bool("insecure_skip_verify") ?? false,
            ipVersion: ipVersion, expect: expect, tlsMinDays: fields.int("tls_min_days", in: 0...Int.max),
            position: cursor.position)
        return name == nil || target == nil ? nil : check
    }

    private static func decodeTarget(_ fields: Fields) -> CheckConfig.Target? {
        guard fields.exclusive(["http", "tcp"]) else { return nil }
        if let node = fields["http"] { return node.url().map { .http(url: $0) } }
        if let node = fields["tcp"] { return node.hostPort().map { .tcp(address: $0) } }
        fields.owner.error("missing the probe: set \"http\" (a URL) or \"tcp\" (host:port)")
        return nil
    }

    private static func rejectHTTPOnly(_ fields: Fields, expect: Cursor?) {
        for key in httpOnlyKeys + ["ca_file", "insecure_skip_verify", "tls_min_days"] where fields.has(key) {
            fields.owner.error("\"\(key)\" applies to http checks only", at: fields.keyPositions[key]!)
        }
        guard let expect, let inner = expect.fields(expectKeys) else { return }
        for key in expectKeys where key != "max_latency" && inner.has(key) {
            expect.error("\"\(key)\" applies to http checks only", at: inner.keyPositions[key]!)
        }
    }

    private static func decodeExpect(_ cursor: Cursor) -> CheckExpectation? {
        guard let fields = cursor.fields(expectKeys) else { return nil }
        var status: [Int]?
        if let node = fields["status"] {
            if case .sequence = node.node {
                status = node.sequence()?.compactMap { $0.int(in: 100...599) }
            } else {
                status = node.int(in: 100...599).map { [$0] }
            }
        }
        var json: [JSONExpectation] = []
        for entry in fields["json"]?.entries() ?? [] {
            // YAML null (`null`, `~`, nothing) expects JSON null, before `${…}` expansion could change it.
            if entry.value.isNull {
                json.append(JSONExpectation(path: entry.key, value: .null))
                continue
            }
            guard let text = entry.value.text(expecting: "a string, number, boolean or null") else { continue }
            json.append(JSONExpectation(path: entry.key, value: jsonValue(text, quoted: entry.value.isQuoted)))
        }
        return CheckExpectation(
            status: status, maxLatency: fields.duration("max_latency", positive: true),
            bodyContains: fields.string("body_contains"), bodyRegex: fields["body_regex"]?.regex(), json: json)
    }

    /// Plain `true`/`false` and numbers keep their JSON type; quoted text is always a string.
    static func jsonValue(_ text: String, quoted: Bool) -> JSONExpectation.Value {
        guard !quoted else { return .string(text) }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if let number = Double(text) { return .number(number) }
        return .string(text)
    }
}
