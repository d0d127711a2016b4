import Foundation
import Model

/// A `host:port` address (`[::1]:9464` for IPv6). An empty host means every interface where
/// that makes sense (`listen: ":9464"`).
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Parses `host:port`, or says what is wrong with it.
    static func parse(_ text: String, hostRequired: Bool = true) -> Result<HostPort, AddressError> {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return .failure(AddressError("invalid address \"\(text)\" (want host:port, e.g. 127.0.0.1:9464)"))
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                return .failure(AddressError("invalid address \"\(text)\" (want host:port, e.g. 127.0.0.1:9464)"))
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            return .failure(AddressError("invalid port in \"\(text)\" (want 1-65535)"))
        }
        if host.isEmpty, hostRequired { return .failure(AddressError("missing host in \"\(text)\"")) }
        guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._:%".contains($0)) }) else {
            return .failure(AddressError("invalid host in \"\(text)\""))
        }
        return .success(HostPort(host: String(host), port: port))
    }

    struct AddressError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}

enum URLCheck {
    /// A problem with an absolute URL of one of `schemes`, or nil. Never echoes `text` when `secret`;
    /// otherwise echoes it without user info and query, where URLs carry credentials.
    static func problem(_ text: String, schemes: Set<String>, secret: Bool = false) -> String? {
        let shown = secret ? "" : " \"\(withoutCredentials(text))\""
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return "invalid URL\(shown)"
        }
        guard schemes.contains(scheme) else {
            let allowed = schemes.sorted().map { "\($0)://" }.joined(separator: " or ")
            return "invalid URL\(shown): scheme must be \(allowed)"
        }
        guard let host = components.host, !host.isEmpty else { return "invalid URL\(shown): missing host" }
        return nil
    }

    /// `text` with the user info of its authority (up to its last `@`) and its query and fragment
    /// replaced by `…`, also when it is not a valid URL (`user:pw@host:9093` lacks a scheme).
    static func withoutCredentials(_ text: String) -> String {
        var prefix = Substring()
        var rest = Substring(text)
        if let separator = rest.range(of: "://") {
            prefix = rest[..<separator.upperBound]
            rest = rest[separator.upperBound...]
        }
        var out = String(prefix)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") {
            out += "…@"
            rest = rest[rest.index(after: at)...]
        }
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            return out + rest[..<query] + String(rest[query]) + "…"
        }
        return out + rest
    }
}

extension Cursor {
    func url(schemes: Set<String> = ["http", "https"]) -> String? {
        guard let text = nonEmptyString() else { return nil }
        if let problem = URLCheck.problem(text, schemes: schemes) {
            error(problem)
            return nil
        }
        return text
    }

    func hostPort(hostRequired: Bool = true) -> HostPort? {
        guard let text = nonEmptyString() else { return nil }
        switch HostPort.parse(text.trimmingSpaces, hostRequired: hostRequired) {
        case .success(let address): return address
        case .failure(let failure):
            error(failure.message)
            return nil
        }
    }

    /// A regular expression, checked to compile (anchoring is the consumer's business).
    func regex() -> String? {
        guard let text = text() else { return nil }
        do {
            _ = try LinearRegex(text)
            return text
        } catch {
            self.error("invalid regular expression \"\(text)\": \(error.reason): `\(error.fragment)`")
            return nil
        }
    }

    /// Sizes like `10MB`, `512KiB` or a plain number of bytes; KB/MB/GB are powers of 1024 as in
    /// Prometheus' `body_size_limit`.
    func byteSize() -> Int? {
        guard let text = text(expecting: "a size") else { return nil }
        let trimmed = text.trimmingSpaces
        let digits = trimmed.prefix { $0.isNumber }
        let unit = String(trimmed.dropFirst(digits.count)).trimmingSpaces.uppercased()
        let factors: [String: Int] = [
            "": 1, "B": 1, "KB": 1 << 10, "KIB": 1 << 10, "MB": 1 << 20, "MIB": 1 << 20,
            "GB": 1 << 30, "GIB": 1 << 30, "TB": 1 << 40, "TIB": 1 << 40,
        ]
        guard let number = Int(digits), let factor = factors[unit] else {
            error("invalid size \"\(text)\" (use e.g. 10MB, 512KB or a number of bytes)")
            return nil
        }
        let (value, overflow) = number.multipliedReportingOverflow(by: factor)
        guard !overflow else {
            error("size \"\(text)\" is too large")
            return nil
        }
        return value
    }

    /// HTTP headers: names are RFC 9110 tokens and values hold no line breaks, so nothing from
    /// the config can smuggle in another header. Values are secrets (they often carry tokens).
    func headers() -> [String: Secret]? {
        guard let entries = entries() else { return nil }
        var result: [String: Secret] = [:]
        let token = Set("!#$%&'*+-.^_`|~")
        for entry in entries {
            if entry.key.isEmpty || !entry.key.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || token.contains($0) }) {
                error("invalid header name \"\(entry.key)\"", at: entry.keyPosition)
                continue
            }
            guard let value = entry.value.string() else { continue }
            if value.contains(where: { $0.isNewline || $0 == "\0" }) {
                entry.value.error("header values must not contain line breaks")
                continue
            }
            result[entry.key] = Secret(value)
        }
        return result
    }

    /// One of `choices`, with a suggestion for near misses.
    func choice(_ choices: [String]) -> String? {
        guard let text = text() else { return nil }
        guard choices.contains(text) else {
            let list = choices.map { "\"\($0)\"" }.joined(separator: ", ")
            error("invalid value \"\(text)\" (want one of \(list))")
            return nil
        }
        return text
    }
}
