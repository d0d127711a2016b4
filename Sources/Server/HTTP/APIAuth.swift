import Model

/// How API clients authenticate. Secrets are kept only as SHA-256 digests (lowercase hex) and
/// compared in constant time. `/-/healthy` is always open so probes and load balancers work.
public enum APIAuth: Sendable, Equatable {
    /// No authentication (the default; the listener is loopback by default).
    case none
    /// `Authorization: Bearer TOKEN` where SHA-256(TOKEN) equals the digest.
    case bearer(tokenSHA256: String)
    /// HTTP basic auth with this user name, where SHA-256(password) equals the digest.
    case basic(username: String, passwordSHA256: String)

    /// Bearer auth from a plain token (hashed here; the token itself is not kept).
    public static func bearerToken(_ token: String) -> APIAuth { .bearer(tokenSHA256: SHA256.hex(token)) }

    /// Basic auth from a plain password (hashed here; the password itself is not kept).
    public static func basicPassword(username: String, password: String) -> APIAuth {
        .basic(username: username, passwordSHA256: SHA256.hex(password))
    }

    /// Whether an `Authorization` header value is accepted.
    func accepts(_ header: String?) -> Bool {
        switch self {
        case .none:
            return true
        case .bearer(let digest):
            guard let header, let token = APIAuth.credentials(header, scheme: "bearer") else { return false }
            return APIAuth.constantTimeEqual(SHA256.hex(token), digest.lowercased())
        case .basic(let username, let digest):
            guard let header, let encoded = APIAuth.credentials(header, scheme: "basic"),
                  let decoded = Base64.decode(encoded), let colon = decoded.firstIndex(of: ":") else { return false }
            let user = String(decoded[..<colon])
            let password = String(decoded[decoded.index(after: colon)...])
            // Hash and compare both, so timing does not reveal which one was wrong.
            let userOK = APIAuth.constantTimeEqual(SHA256.hex(user), SHA256.hex(username))
            let passwordOK = APIAuth.constantTimeEqual(SHA256.hex(password), digest.lowercased())
            return userOK && passwordOK
        }
    }

    /// The `WWW-Authenticate` challenge for a 401.
    var challenge: String {
        switch self {
        case .none, .bearer: "Bearer realm=\"lookout\""
        case .basic: "Basic realm=\"lookout\", charset=\"UTF-8\""
        }
    }

    private static func credentials(_ header: String, scheme: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == scheme else { return nil }
        return String(parts[1].drop { $0 == " " })
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// Base64 decoding (standard alphabet, padding optional) for basic auth.
enum Base64 {
    static func decode(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            let value: UInt32
            switch byte {
            case 0x41...0x5A: value = UInt32(byte - 0x41)
            case 0x61...0x7A: value = UInt32(byte - 0x61 + 26)
            case 0x30...0x39: value = UInt32(byte - 0x30 + 52)
            case 0x2B: value = 62
            case 0x2F: value = 63
            case 0x3D: continue
            default: return nil
            }
            buffer = buffer << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
