/// Request parameters from the query string and an `application/x-www-form-urlencoded` body,
/// merged as Go's `Request.FormValue` sees them (body values first, then the URL's).
struct FormValues: Sendable {
    private var pairs: [(String, String)] = []

    init() {}

    /// Parses `a=1&b=2`; throws `bad_data` on a malformed percent escape, as Go's `ParseForm`.
    init(urlEncoded text: Substring) throws(APIError) {
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let (rawKey, rawValue): (Substring, Substring)
            if let eq = part.firstIndex(of: "=") {
                rawKey = part[..<eq]
                rawValue = part[part.index(after: eq)...]
            } else {
                rawKey = part
                rawValue = ""
            }
            pairs.append((try FormValues.decode(rawKey), try FormValues.decode(rawValue)))
        }
    }

    /// Adds the values of `other` after this one's.
    mutating func append(_ other: FormValues) { pairs += other.pairs }

    /// The first value of `name`, or nil.
    subscript(name: String) -> String? { pairs.first { $0.0 == name }?.1 }

    /// Every value of `name` (as for repeated `match[]`).
    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    /// Percent-decodes `text`; in form encoding (not in paths) `+` is a space.
    static func decode(_ text: Substring, plusIsSpace: Bool = true) throws(APIError) -> String {
        guard text.utf8.contains(where: { $0 == 0x25 || (plusIsSpace && $0 == 0x2B) }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case 0x2B where plusIsSpace: bytes.append(0x20)
            case 0x25:
                guard let high = iterator.next(), let low = iterator.next(),
                      let h = hexValue(high), let l = hexValue(low) else {
                    let escape = String(text[text.firstIndex(of: "%")!...].prefix(3))
                    throw APIError(.badData, "error parsing form values: invalid URL escape \"\(escape)\"")
                }
                bytes.append(h << 4 | l)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
