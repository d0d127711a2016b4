/// A byte cursor over one line of a payload: the token scanners the parser is built from.
/// Positions stay within the payload, so the scanners move them with wrapping arithmetic (no
/// overflow check per byte).
///
/// The buffer is borrowed from the parser's byte array for the duration of one `next()` call;
/// scanners return ranges into it, never copies, so the hot path allocates nothing here.
struct Lexer {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Index of the first byte of the line.
    let lineStart: Int
    /// Index just past the last byte of the line (before `\n` or `\r\n`).
    let end: Int
    var position: Int

    init(bytes: UnsafeBufferPointer<UInt8>, lineStart: Int, end: Int) {
        self.bytes = bytes
        self.lineStart = lineStart
        self.end = end
        self.position = lineStart
    }

    /// 1-based byte column of the cursor.
    var column: Int { position - lineStart + 1 }
    var atEnd: Bool { position >= end }
    var current: UInt8? { position < end ? bytes[position] : nil }

    /// Consumes `byte` if it is next.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        guard position < end, bytes[position] == byte else { return false }
        position &+= 1
        return true
    }

    /// Consumes `=` if `="` is next (the cursor is then on the quote), with one 2-byte compare.
    @inline(__always)
    mutating func consumeEqualsBeforeQuote() -> Bool {
        guard position &+ 2 <= end, let base = bytes.baseAddress,
              UInt16(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt16.self)) == 0x223D else { return false }
        position &+= 1
        return true
    }

    /// Consumes `,` if it is next and followed by a byte that is not a blank nor `}` (the usual
    /// `,name` between labels).
    @inline(__always)
    mutating func consumeCommaBeforeName() -> Bool {
        guard position &+ 1 < end, bytes[position] == .comma else { return false }
        let next = bytes[position &+ 1]
        guard next != .space, next != .tab, next != .closeBrace else { return false }
        position &+= 1
        return true
    }

    /// Skips spaces and tabs; returns how many were skipped.
    @inline(__always)
    @discardableResult
    mutating func skipBlanks() -> Int {
        let start = position
        while position < end, bytes[position] == .space || bytes[position] == .tab { position &+= 1 }
        return position &- start
    }

    /// Scans `[a-zA-Z_:][a-zA-Z0-9_:]*`; empty range if there is none.
    mutating func scanMetricName() -> Range<Int> {
        let start = position
        guard position < end, bytes[position].isMetricNameStart else { return start..<start }
        position &+= 1
        skipNameBytes(colon: true)
        return start..<position
    }

    /// The same, first trying whether the name here has the same bytes as the name at `previous`
    /// (consecutive samples usually share it): then it is compared a word at a time, not scanned,
    /// and `same` is true.
    mutating func scanMetricName(like previous: Range<Int>) -> (range: Range<Int>, same: Bool) {
        let count = previous.count
        let after = position + count
        if count > 0, after <= end, let base = bytes.baseAddress,
           after == end || !bytes[after].isMetricNameByte,
           memcmpBytes(base + position, base + previous.lowerBound, count) {
            defer { position = after }
            return (position..<after, true)
        }
        return (scanMetricName(), false)
    }

    /// Scans `[a-zA-Z_][a-zA-Z0-9_]*`; empty range if there is none.
    @inline(__always)
    mutating func scanLabelName() -> Range<Int> {
        let start = position
        guard position < end, bytes[position].isLabelNameStart else { return start..<start }
        position &+= 1
        skipNameBytes(colon: false)
        return start..<position
    }

    /// Moves past `[a-zA-Z0-9_]*` (with `colon`, `[a-zA-Z0-9_:]*`): 8 bytes at a time while a whole
    /// word is there to read, then byte by byte near the end of the line.
    @inline(__always)
    mutating func skipNameBytes(colon: Bool) {
        if let base = bytes.baseAddress {
            while position &+ 8 <= end {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                let other = Lexer.nonNameBytes(word, colon: colon)
                if other != 0 {
                    position &+= other.trailingZeroBitCount &>> 3
                    return
                }
                position &+= 8
            }
        }
        if colon {
            while position < end, bytes[position].isMetricNameByte { position &+= 1 }
        } else {
            while position < end, bytes[position].isLabelNameByte { position &+= 1 }
        }
    }

    /// The high bit of each byte of `word` (little-endian) that is not `[a-zA-Z0-9_]` (nor `:` with
    /// `colon`); exact in every byte: each test works within its byte, with no carry or borrow
    /// between bytes.
    @inline(__always)
    static func nonNameBytes(_ word: UInt64, colon: Bool) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080, low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let ascii = word & low
        // The high bit of each 7-bit byte of `x` that is at least `n` (at most 0x80).
        @inline(__always) func atLeast(_ x: UInt64, _ n: UInt64) -> UInt64 { (x &+ 0x0101_0101_0101_0101 &* (0x80 &- n)) & high }
        // The high bit of each byte of `x` that is zero.
        @inline(__always) func zero(_ x: UInt64) -> UInt64 { ~(((x & low) &+ low) | x) & high }
        let folded = ascii | 0x2020_2020_2020_2020   // A-Z to a-z; no other byte lands in a-z
        var name = (atLeast(folded, 0x61) & ~atLeast(folded, 0x7B)) | (atLeast(ascii, 0x30) & ~atLeast(ascii, 0x3A))
            | zero(word ^ 0x5F5F_5F5F_5F5F_5F5F)
        if colon { name |= zero(word ^ 0x3A3A_3A3A_3A3A_3A3A) }
        return ~name & high | (word & high)
    }

    /// Scans up to the next blank or the end of the line.
    @inline(__always)
    mutating func scanToken() -> Range<Int> {
        let start = position
        while position < end, bytes[position] != .space, bytes[position] != .tab { position &+= 1 }
        return start..<position
    }

    /// The contents of a quoted string (cursor on the opening quote), without the quotes, and
    /// whether they hold escapes or non-ASCII bytes (so the caller can take the fast path).
    /// Returns nil if the closing quote is missing; the cursor is then at the end of the line.
    @inline(__always)
    mutating func scanQuoted() -> QuotedRange? {
        position &+= 1
        let start = position
        var flags: UInt8 = 0
        // Plain stretches 8 bytes at a time: a word with no quote, backslash or non-ASCII byte is
        // skipped whole; the byte loop below takes over at the first such byte.
        if let base = bytes.baseAddress {
            while position &+ 8 <= end {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                let special = Lexer.zeroBytes(word ^ 0x2222_2222_2222_2222) | Lexer.zeroBytes(word ^ 0x5C5C_5C5C_5C5C_5C5C)
                    | (word & 0x8080_8080_8080_8080)
                if special != 0 {
                    position &+= special.trailingZeroBitCount &>> 3
                    break
                }
                position &+= 8
            }
        }
        while position < end {
            let byte = bytes[position]
            if byte == .quote { position &+= 1; return QuotedRange(range: start..<position &- 1, flags: flags) }
            if byte == .backslash {
                flags |= QuotedRange.escapes
                position &+= 1
            } else if byte >= 0x80 {
                flags |= QuotedRange.nonASCII
            }
            position &+= 1
        }
        position = end
        return nil
    }

    /// The high bit set in each byte of `word` (little-endian) that is zero, and possibly in bytes
    /// above a zero one (a borrow): exact for the lowest zero byte, which is all the scanners read.
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    /// Where the series text that starts before the cursor (just after the metric name) ends: after
    /// the closing `}` of a label set, or here if there is none. Nil if the label set is unterminated.
    /// Does not move the cursor; the parser validates the bytes when it decodes them.
    func seriesEnd(lenientBlanks: Bool) -> Int? {
        var index = position
        if lenientBlanks {
            while index < end, bytes[index] == .space || bytes[index] == .tab { index += 1 }
        }
        guard index < end, bytes[index] == .openBrace else { return position }
        index += 1
        while index < end {
            switch bytes[index] {
            case .closeBrace: return index + 1
            case .quote:
                index += 1
                while index < end, bytes[index] != .quote {
                    index += bytes[index] == .backslash ? 2 : 1
                }
            default: break
            }
            index += 1
        }
        return nil
    }

    /// Whether the bytes in `range` equal `literal`.
    func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let pointer = literal.utf8Start
        for index in 0..<range.count where bytes[range.lowerBound + index] != pointer[index] { return false }
        return true
    }

    /// The rest of the line as a string, for error messages.
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}

/// The inside of a quoted string and what the fast path needs to know about it.
struct QuotedRange {
    static let escapes: UInt8 = 1
    static let nonASCII: UInt8 = 2
    let range: Range<Int>
    let flags: UInt8
    var hasEscapes: Bool { flags & QuotedRange.escapes != 0 }
    var isASCII: Bool { flags & QuotedRange.nonASCII == 0 }
}

extension UInt8 {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let hash = UInt8(ascii: "#")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let comma = UInt8(ascii: ",")
    static let equals = UInt8(ascii: "=")

    var isDigit: Bool { self &- UInt8(ascii: "0") < 10 }
    /// `[a-zA-Z0-9_:]` as two bitmasks over ASCII: one test per byte in the name scanners.
    var isMetricNameByte: Bool {
        self < 64 ? (0x07FF_0000_0000_0000 as UInt64) >> self & 1 != 0
            : self < 128 ? (0x07FF_FFFE_87FF_FFFE as UInt64) >> (self &- 64) & 1 != 0 : false
    }
    var isLabelNameByte: Bool { isMetricNameByte && self != UInt8(ascii: ":") }
    var isLetter: Bool { (self | 0x20) &- UInt8(ascii: "a") < 26 }
    var isLabelNameStart: Bool { isLetter || self == UInt8(ascii: "_") }
    var isMetricNameStart: Bool { isLabelNameStart || self == UInt8(ascii: ":") }
}
