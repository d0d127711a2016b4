/// A password hash in a config: what the API's basic auth compares a password against.
public enum PasswordHash: Sendable, Equatable {
    /// SHA-256 of the password, 64 lowercase hex digits.
    case sha256(String)
    /// A bcrypt hash (`$2a$`, `$2b$` or `$2y$`, as `htpasswd -B` and Prometheus' web config write).
    case bcrypt(String)

    /// Recognises either form (surrounding spaces ignored); nil for anything else.
    public init?(_ text: String) {
        let hash = text.trimmingCharacters(in: " ")
        let bytes = Array(hash.utf8)
        if bytes.count == 64, bytes.allSatisfy(PasswordHash.isHexDigit) {
            self = .sha256(hash.lowercased())
        } else if PasswordHash.isBcrypt(bytes) {
            self = .bcrypt(hash)
        } else {
            return nil
        }
    }

    /// `$2?$NN$` then 53 characters of bcrypt's base64 (22 of salt, 31 of hash), cost 4–31.
    private static func isBcrypt(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
              [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]), bytes[3] == UInt8(ascii: "$"),
              bytes[6] == UInt8(ascii: "$"), let cost = Int(String(decoding: bytes[4...5], as: UTF8.self)),
              (4...31).contains(cost) else { return false }
        return bytes[7...].allSatisfy { byte in
            byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/") || (0x30...0x39).contains(byte)
                || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
