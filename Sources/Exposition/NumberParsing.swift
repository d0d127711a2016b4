#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Float and timestamp parsing straight from bytes. Plain decimals (the overwhelming majority of
/// sample values) take an exact fast path; anything else goes through the standard library.
enum NumberParsing {
    /// 10^0 through 10^22, all exact in a Double. An array literal of constants is initialised
    /// statically: no `swift_once` check when a value is parsed.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses a sample value as Go's `strconv.ParseFloat` would for exposition payloads:
    /// decimals with optional exponent, `NaN`, `Inf`, `+Inf`, `-Inf` (any case). Nil if invalid.
    static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        if let fast = parseDecimalFast(bytes, range) { return fast }
        return parseDoubleSlow(bytes, range)
    }

    /// A sample value at `start` in a line that ends at `end`: the value and where it ends, when
    /// it is a plain decimal the fast path takes and is followed by a blank or the line's end
    /// (the usual case: the value is scanned once, not found first and parsed after). Nil
    /// otherwise; `parseDouble` on the token then decides.
    @inline(__always)
    static func parseSampleValue(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, lineEnd end: Int) -> (value: Double, end: Int)? {
        guard let (value, stop) = parseDecimalPrefix(bytes, start, end),
              stop == end || bytes[stop] == .space || bytes[stop] == .tab else { return nil }
        return (value, stop)
    }

    /// Clinger's fast path: exact when the mantissa fits in 53 bits and |exponent| <= 22; wider
    /// mantissas go through 80-bit arithmetic where the platform has it.
    private static func parseDecimalFast(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        guard let (value, stop) = parseDecimalPrefix(bytes, range.lowerBound, range.upperBound),
              stop == range.upperBound else { return nil }
        return value
    }

    /// The fast path on the longest decimal starting at `start` (before `end`): its value and
    /// where it stops. Nil if there is none or the fast path cannot round it exactly.
    @inline(__always)
    private static func parseDecimalPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Double, Int)? {
        var index = start
        guard index < end else { return nil }
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        // Wrapping counts: they stay below the payload's length.
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        while index < end, bytes[index].isDigit {
            mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- UInt8(ascii: "0"))
            digits &+= 1
            index &+= 1
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index &+= 1
            // Long digit runs are fractions (Go and Python print up to 17 significant digits);
            // integer parts are mostly short, where the word test would only add work.
            while index &+ 8 <= end, let eight = eightDigits(bytes, at: index) {
                mantissa = mantissa &* 100_000_000 &+ eight
                digits &+= 8
                exponent &-= 8
                index &+= 8
            }
            while index < end, bytes[index].isDigit {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- UInt8(ascii: "0"))
                digits &+= 1
                exponent &-= 1
                index &+= 1
            }
        }
        guard digits > 0, digits <= 19 else { return nil }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var explicit = 0
            let exponentStart = index
            while index < end, bytes[index].isDigit, explicit < 10_000 {
                explicit = explicit * 10 + Int(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
            guard index > exponentStart else { return nil }
            exponent += exponentNegative ? -explicit : explicit
        }
        if mantissa == 0 { return (negative ? -0.0 : 0.0, index) }
        guard exponent >= -22, exponent <= 22 else { return nil }
        var value: Double
        if mantissa <= 1 << 53 {
            value = Double(mantissa)
            if exponent != 0 { value = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent] }
        } else {
            guard let wide = wideMantissa(mantissa, exponent) else { return nil }
            value = wide
        }
        return (negative ? -value : value, index)
    }

    /// The value of the 8 bytes at `index` if all are ASCII digits (SWAR: one load, a check and
    /// three multiplies instead of eight iterations; long mantissas are common in values).
    @inline(__always)
    private static func eightDigits(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64? {
        guard let base = bytes.baseAddress else { return nil }
        let word = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index, as: UInt64.self))
        // Every byte is 0x30...0x39: its high nibble is 3, and adding 6 does not carry out of its low one.
        let highNibbles = (word & 0xF0F0_F0F0_F0F0_F0F0) | (((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)
        guard highNibbles == 0x3333_3333_3333_3333 else { return nil }
        var value = word &- 0x3030_3030_3030_3030
        value = (value &* 10) &+ (value >> 8)   // pairs of digits in every other byte
        let pairs = value & 0x0000_00FF_0000_00FF, pairsAbove = (value >> 16) & 0x0000_00FF_0000_00FF
        return (pairs &* (100 &+ (1_000_000 << 32)) &+ pairsAbove &* (1 &+ (10_000 << 32))) >> 32
    }

    #if arch(x86_64) && !os(Windows)
    private static let wideTens: [Float80] = (0...22).map { exponent in
        var value: Float80 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// 17–19 significant digits (common: Go and Python print up to 17) in 80-bit arithmetic. The
    /// mantissa and 10^|e| are exact there, so the one operation rounds once; rounding that to a
    /// Double is then correct unless the 80-bit result sits exactly on a Double halfway point
    /// (its 11 extra bits are 0x400), which is left to `strtod`.
    private static func wideMantissa(_ mantissa: UInt64, _ exponent: Int) -> Double? {
        let wide = exponent < 0 ? Float80(mantissa) / wideTens[-exponent] : Float80(mantissa) * wideTens[exponent]
        guard wide.significandBitPattern & 0x7FF != 0x400 else { return nil }
        return Double(wide)
    }
    #else
    private static func wideMantissa(_ mantissa: UInt64, _ exponent: Int) -> Double? { nil }
    #endif

    /// Decimals the fast path cannot round exactly go to `strtod` (correctly rounded), through a
    /// stack buffer; spelled-out special values are matched here, so Go's rejections (hex floats,
    /// `nan(...)`, digit separators) stay rejections.
    private static func parseDoubleSlow(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        guard !range.isEmpty, range.count <= 800 else { return nil }
        var decimal = true
        for index in range {
            let byte = bytes[index]
            if !(byte.isDigit || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                || byte | 0x20 == UInt8(ascii: "e")) {
                decimal = false
                break
            }
        }
        guard decimal else { return special(bytes, range) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: range.count + 1) { buffer in
            for (offset, index) in range.enumerated() { buffer[offset] = CChar(bitPattern: bytes[index]) }
            buffer[range.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            return end == buffer.baseAddress! + range.count ? value : nil
        }
    }

    private static func special(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        guard range.count <= 9 else { return nil }
        var lowered: [UInt8] = []
        for index in range { lowered.append(bytes[index].isLetter ? bytes[index] | 0x20 : bytes[index]) }
        var negative = false
        if lowered.first == UInt8(ascii: "-") || lowered.first == UInt8(ascii: "+") {
            negative = lowered.removeFirst() == UInt8(ascii: "-")
        }
        switch String(decoding: lowered, as: UTF8.self) {
        case "nan": return .nan
        case "inf", "infinity": return negative ? -.infinity : .infinity
        default: return nil
        }
    }

    /// A text-format timestamp: integer milliseconds with optional sign.
    static func parseMilliseconds(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        var index = range.lowerBound
        guard index < range.upperBound else { return nil }
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < range.upperBound else { return nil }
        var value: Int64 = 0
        while index < range.upperBound {
            guard bytes[index].isDigit else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[index] &- UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }

    /// An OpenMetrics timestamp: seconds, possibly fractional or with an exponent, truncated to
    /// milliseconds. Decimal fractions are converted exactly (`1.001` is 1001 ms, not 1000).
    static func parseSecondsAsMilliseconds(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        if let exact = parseDecimalSecondsExact(bytes, range) { return exact }
        guard let seconds = parseDouble(bytes, range), seconds.isFinite else { return nil }
        let milliseconds = (seconds * 1000).rounded(.towardZero)
        guard abs(milliseconds) < 9.2e18 else { return nil }
        return Int64(milliseconds)
    }

    private static func parseDecimalSecondsExact(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        let dot = range.firstIndex { bytes[$0] == UInt8(ascii: ".") }
        let integerRange = range.lowerBound..<(dot ?? range.upperBound)
        guard let seconds = parseMilliseconds(bytes, integerRange), abs(seconds) < 9_000_000_000_000_000 else { return nil }
        var fraction: Int64 = 0
        if let dot {
            var scale: Int64 = 100
            guard dot + 1 < range.upperBound else { return nil }
            for index in dot + 1..<range.upperBound {
                guard bytes[index].isDigit else { return nil }
                fraction += Int64(bytes[index] &- UInt8(ascii: "0")) * scale
                scale /= 10
            }
        }
        let negative = bytes[range.lowerBound] == UInt8(ascii: "-")
        return seconds * 1000 + (negative ? -fraction : fraction)
    }
}
