/// Decoding of `alertmanagers:`.
enum AlertmanagerDecoder {
    static let keys = ["url", "timeout", "bearer_token", "bearer_token_file", "basic_auth", "headers"]

    /// Every entry; a URL listed twice is an error (each URL has its own queue).
    static func decodeAll(_ cursor: Cursor?) -> [AlertmanagerConfig] {
        guard let items = cursor?.sequence() else { return [] }
        var seen: [String: SourcePosition] = [:]
        var out: [AlertmanagerConfig] = []
        for item in items {
            guard let config = decode(item) else { continue }
            let key = normalized(config.url)
            if let first = seen[key] {
                item.error("duplicate Alertmanager url \"\(config.url)\" (first at line \(first.line))")
                continue
            }
            seen[key] = config.position
            out.append(config)
        }
        return out
    }

    static func decode(_ cursor: Cursor) -> AlertmanagerConfig? {
        guard let fields = cursor.fields(keys) else { return nil }
        var url = fields.required("url")?.url()
        if let text = url, normalized(text).hasSuffix("/api/v2/alerts") || normalized(text).hasSuffix("/api/v1/alerts") {
            fields["url"]?.error("give the Alertmanager's base URL, without \"/api/v2/alerts\"")
            url = nil
        }
        let timeout = fields.duration("timeout", positive: true) ?? 10_000
        let auth = fields.clientAuth()
        let headers = fields["headers"]?.headers() ?? [:]
        guard let url else { return nil }
        return AlertmanagerConfig(url: url, timeout: timeout, auth: auth, headers: headers, position: cursor.position)
    }

    private static func normalized(_ url: String) -> String {
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
