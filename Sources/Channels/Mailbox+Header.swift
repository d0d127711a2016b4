import Foundation
import Model

extension Mailbox {
    /// The header form: `address`, `"Display Name" <address>` or `=?UTF-8?Q?…?= <address>`.
    var header: String {
        guard let displayName else { return address }
        let cleaned = String(displayName.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        if cleaned.unicodeScalars.allSatisfy(\.isASCII) && !cleaned.contains("=?") {
            let quoted = cleaned.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\" <\(address)>"
        }
        return MIME.encodedWords(cleaned) + " <\(address)>"
    }
}
