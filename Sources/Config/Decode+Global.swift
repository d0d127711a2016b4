import Foundation
import Model

/// Decoding of `global:`.
enum GlobalDecoder {
    static let keys = [
        "scrape_interval", "evaluation_interval", "data_dir", "retention", "timezone", "listen",
        "external_labels", "external_url", "heartbeat", "watchdog_alert", "api_auth", "max_concurrent_queries",
    ]

    static let defaultDataDir = "/var/lib/lookout"

    static func decode(_ cursor: Cursor?, dataDirOverride: String?) -> GlobalConfig {
        let fields = cursor?.fields(keys)
        var global = GlobalConfig(
            scrapeInterval: 15_000, evaluationInterval: 15_000, dataDir: defaultDataDir,
            retention: 30 * 86_400_000, timezone: TimeZone.current,
            listen: HostPort(host: "127.0.0.1", port: 9464), externalLabels: Labels(),
            externalURL: nil, heartbeat: nil, watchdogAlert: false, apiAuth: nil)
        guard let fields else {
            if let dataDirOverride { global.dataDir = dataDirOverride }
            return global
        }
        global.scrapeInterval = fields.duration("scrape_interval", positive: true) ?? global.scrapeInterval
        global.evaluationInterval = fields.duration("evaluation_interval", positive: true) ?? global.evaluationInterval
        // Used as written: a relative data_dir is relative to the working directory, like a CLI flag.
        global.dataDir = fields["data_dir"]?.nonEmptyString() ?? global.dataDir
        if let dataDirOverride { global.dataDir = dataDirOverride }
        global.retention = fields.duration("retention", positive: true) ?? global.retention
        if let zone = fields["timezone"], let name = zone.nonEmptyString() {
            if let timezone = TimeZone(identifier: name) {
                global.timezone = timezone
            } else {
                zone.error("unknown time zone \"\(name)\" (use an IANA name such as Europe/Berlin or UTC)")
            }
        }
        if let listen = fields["listen"], let text = listen.text() {
            global.listen = text.isEmpty ? nil : listen.hostPort(hostRequired: false)
        }
        if let labels = fields.labelMap("external_labels") { global.externalLabels = Labels(labels) }
        global.externalURL = fields["external_url"]?.url()
        global.watchdogAlert = fields.bool("watchdog_alert") ?? false
        if let heartbeat = fields["heartbeat"] { global.heartbeat = decodeHeartbeat(heartbeat) }
        if let auth = fields["api_auth"] { global.apiAuth = decodeAPIAuth(auth) }
        global.maxConcurrentQueries = fields.int("max_concurrent_queries", in: 1...256) ?? global.maxConcurrentQueries
        return global
    }

    private static func decodeHeartbeat(_ cursor: Cursor) -> HeartbeatConfig? {
        guard let fields = cursor.fields(["url", "url_file", "interval"]) else { return nil }
        let interval = fields.duration("interval", positive: true) ?? 60_000
        guard let url = fields.secret("url", required: true) else { return nil }
        if let problem = URLCheck.problem(url.value, schemes: ["http", "https"], secret: true) {
            (fields["url"] ?? fields["url_file"] ?? cursor).error(problem)
        }
        return HeartbeatConfig(url: url, interval: interval)
    }

    private static func decodeAPIAuth(_ cursor: Cursor) -> APIAuth? {
        guard let fields = cursor.fields(["bearer_token", "bearer_token_file", "basic_auth"]) else { return nil }
        guard fields.exclusive(["bearer_token", "basic_auth"]), fields.exclusive(["bearer_token_file", "basic_auth"])
        else { return nil }
        if let basic = fields["basic_auth"] {
            guard let inner = basic.fields(["username", "password_hash", "password_hash_file"]) else { return nil }
            let username = inner.requiredString("username")
            let hash = inner.secret("password_hash", required: true)
            guard let username, let hash else { return nil }
            // Anything but the two forms could never match and would lock every client out without a word.
            guard PasswordHash(hash.value) != nil else {
                (inner["password_hash"] ?? inner["password_hash_file"] ?? basic).error(
                    "must be a bcrypt hash ($2y$…, as htpasswd -nbB USER PASSWORD writes) or the SHA-256 of the password as 64 hex digits (printf %s PASSWORD | sha256sum)")
                return nil
            }
            return .basic(username: username, passwordHash: hash)
        }
        if let token = fields.secret("bearer_token") { return .bearerToken(token) }
        if !fields.has("bearer_token") && !fields.has("bearer_token_file") {
            cursor.error("set one of \"bearer_token\", \"bearer_token_file\" or \"basic_auth\"")
        }
        return nil
    }
}
