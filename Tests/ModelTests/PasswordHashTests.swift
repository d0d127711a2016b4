import Model
import Testing

@Suite("Password hashes a config may hold")
struct PasswordHashTests {
    @Test func sha256IsLowercased() {
        let hex = "F52FBD32B2B3B86FF88EF6C490628285F482AF15DDCB29541F94BCF526A3F6C7"
        #expect(PasswordHash(" \(hex) ") == .sha256(hex.lowercased()))
    }

    @Test(arguments: ["$2a$", "$2b$", "$2y$"])
    func bcryptPrefixes(prefix: String) {
        let hash = prefix + "10$abcdefghijklmnopqrstuu3KWNuWLhBnmgYfnzONPueahDuedC/lu"
        #expect(PasswordHash(hash) == .bcrypt(hash))
    }

    @Test(arguments: [
        "", "f52fbd32", "$apr1$Zs6pXzQf$3QSGH5pZ0Nm7dGXkqgCpZ/",                  // too short, MD5-crypt
        "$2x$10$abcdefghijklmnopqrstuu3KWNuWLhBnmgYfnzONPueahDuedC/lu",            // $2x$ (buggy variant)
        "$2b$03$abcdefghijklmnopqrstuu3KWNuWLhBnmgYfnzONPueahDuedC/lu",            // cost below 4
        "$2b$10$abcdefghijklmnopqrstuu3KWNuWLhBnmgYfnzONPueahDuedC/l!",            // not bcrypt's base64
        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
    ])
    func othersAreRefused(text: String) {
        #expect(PasswordHash(text) == nil)
    }
}
