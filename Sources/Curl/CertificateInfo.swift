import CCurl
import Glibc

/// Parses certificate dates as OpenSSL prints them (`CURLINFO_CERTINFO`'s "Expire date:" lines).
/// Probes now read `notAfter` directly (CCurl/tls.c); this stays for callers holding such text.
enum CertificateInfo {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses OpenSSL's `ASN1_TIME_print` form, `Mon DD HH:MM:SS YYYY GMT`, into Unix time.
    /// libcurl 7.x may also print `YYYY-MM-DD HH:MM:SS GMT`; both are accepted.
    static func parseDate(_ text: Substring) -> UnixTime? {
        let words = text.split(separator: " ")
        var parts = tm()
        if words.count >= 4, let month = months.firstIndex(of: String(words[0])),
           let day = Int32(words[1]), let year = Int32(words[3]) {
            guard setTime(words[2], into: &parts) else { return nil }
            parts.tm_mon = Int32(month)
            parts.tm_mday = day
            parts.tm_year = year - 1900
        } else if words.count >= 2 {
            let date = words[0].split(separator: "-")
            guard date.count == 3, let year = Int32(date[0]), let month = Int32(date[1]), let day = Int32(date[2]),
                  setTime(words[1], into: &parts) else { return nil }
            parts.tm_year = year - 1900
            parts.tm_mon = month - 1
            parts.tm_mday = day
        } else {
            return nil
        }
        return UnixTime(timegm(&parts))
    }

    private static func setTime(_ text: Substring, into parts: inout tm) -> Bool {
        let fields = text.split(separator: ":").compactMap { Int32($0) }
        guard fields.count == 3 else { return false }
        parts.tm_hour = fields[0]
        parts.tm_min = fields[1]
        parts.tm_sec = fields[2]
        return true
    }
}
