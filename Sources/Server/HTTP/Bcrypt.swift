import CCrypt
import Model
import Synchronization

/// Checks passwords against bcrypt hashes through libxcrypt's `crypt_rn`.
///
/// A check costs tens of milliseconds at the usual cost 10, by design. So that a client with
/// valid credentials does not pay it on every request, and so that a flood of guesses cannot
/// take every core, the last few accepted credentials are remembered (as SHA-256 digests) and
/// checks run one at a time, as Prometheus' exporter-toolkit does.
enum Bcrypt {
    private static let accepted = Mutex<[String]>([])
    private static let oneAtATime = Mutex(())
    private static let remembered = 16

    /// Whether `password` hashes to `hash` (`$2a$`, `$2b$` or `$2y$`).
    static func verify(_ password: String, hash: String) -> Bool {
        let key = SHA256.hex(hash + "\n" + password)
        if accepted.withLock({ $0.contains(key) }) { return true }
        let matches = oneAtATime.withLock { _ in compute(password, setting: hash).map { APIAuth.constantTimeEqual($0, hash) } ?? false }
        if matches {
            accepted.withLock { keys in
                keys.append(key)
                if keys.count > remembered { keys.removeFirst(keys.count - remembered) }
            }
        }
        return matches
    }

    /// `crypt_rn(password, setting)`, or nil when libxcrypt refuses (a malformed setting).
    static func compute(_ password: String, setting: String) -> String? {
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer { data.deallocate() }
        let size = Int32(MemoryLayout<crypt_data>.size)
        // Zeroed, as crypt_rn requires of a fresh crypt_data.
        UnsafeMutableRawPointer(data).initializeMemory(as: UInt8.self, repeating: 0, count: Int(size))
        guard let output = crypt_rn(password, setting, data, size) else { return nil }
        let text = String(cString: output)
        // Failure tokens start with "*"; a successful result repeats the setting's prefix.
        return text.hasPrefix("*") ? nil : text
    }
}
