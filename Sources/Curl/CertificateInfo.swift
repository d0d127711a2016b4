import CCurl
import Glibc

/// Reads certificate dates from libcurl's `CURLINFO_CERTINFO` ("Expire date:Nov 25 16:40:00 2026 GMT").
enum CertificateInfo {
    static func earliestExpiry(of transfer: Transfer) -> UnixTime? {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard lk_easy_getinfo_certinfo(transfer.easy, &info) == CURLE_OK, let info,
              let chain = info.pointee.certinfo else { return nil }
        var earliest: UnixTime?
        for index in 0..<Int(info.pointee.num_of_certs) {
            var item = chain[index]
            while let node = item {
                if let data = node.pointee.data {
                    let line = String(cString: data)
                    if line.hasPrefix("Expire date:"), let date = parseDate(line.dropFirst("Expire date:".count)) {
                        earliest = min(earliest ?? date, date)
                    }
                }
                item = node.pointee.next
            }
        }
        return earliest
    }

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
