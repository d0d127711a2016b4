import Model

/// Stable 64-bit hashes (FNV-1a) of label sets and strings. Unlike `Hasher` they are the same in
/// every process, so they can be stored (notification log) and sent (PagerDuty `dedup_key`).
public enum Fingerprint {
    private static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x100_0000_01b3

    /// The fingerprint of a label set.
    public static func of(_ labels: Labels) -> UInt64 {
        var hash = offset
        for label in labels {
            mix(&hash, label.name)
            mix(&hash, label.value)
        }
        return hash
    }

    /// A 128-bit hex digest of a string (two FNV-1a passes with different seeds).
    public static func hex(_ text: String) -> String {
        var a = offset
        var b = offset ^ 0x9e37_79b9_7f4a_7c15
        mix(&a, text)
        mix(&b, text)
        return hexString(a) + hexString(b)
    }

    private static func mix(_ hash: inout UInt64, _ text: String) {
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= prime
        }
        hash ^= 0xff
        hash &*= prime
    }

    private static func hexString(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
