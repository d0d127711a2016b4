@testable import Exposition
import Testing

/// The word-at-a-time name scanners against the byte predicates they replace.
@Suite("Name scanning")
struct NameScanTests {
    /// Every byte value at every position of a word of name bytes, and random words: the lowest
    /// flagged byte is the first byte the byte predicate rejects.
    @Test func nonNameBytesMatchesTheBytePredicates() {
        var generator = SystemRandomNumberGenerator()
        var words: [UInt64] = []
        let plain = UInt64(0x6D61_6E5F_3961_5A7A)   // "zZa9_nam", all name bytes
        for position in 0..<8 {
            for byte in 0...255 {
                let shift = UInt64(8 * position)
                words.append(plain & ~(0xFF << shift) | UInt64(byte) << shift)
            }
        }
        for _ in 0..<20_000 { words.append(generator.next()) }
        for _ in 0..<20_000 {
            // Mostly name bytes, some of them ':', '^', '`', '@', '[', '{', '/', DEL or non-ASCII.
            let alphabet = Array("aZ_9:^`@[{/\u{7F}0zA".utf8) + [0xC3, 0x80, 0x00, 0x5E, 0x60]
            var word: UInt64 = 0
            for position in 0..<8 { word |= UInt64(alphabet.randomElement(using: &generator)!) << UInt64(8 * position) }
            words.append(word)
        }
        for word in words {
            for colon in [false, true] {
                var expected = 8
                for position in 0..<8 {
                    let byte = UInt8(truncatingIfNeeded: word >> UInt64(8 * position))
                    if !(colon ? byte.isMetricNameByte : byte.isLabelNameByte) { expected = position; break }
                }
                let flags = Lexer.nonNameBytes(word, colon: colon)
                let found = flags == 0 ? 8 : flags.trailingZeroBitCount >> 3
                #expect(found == expected, "word \(String(word, radix: 16)) colon \(colon)")
                if found != expected { return }
            }
        }
    }

    /// Names shorter and longer than a word, ending at the end of the line or before another byte.
    @Test func scannersStopAtTheFirstOtherByte() {
        let cases: [(String, Bool, Int)] = [
            ("a", false, 1), ("abcdefgh", false, 8), ("abcdefghi=", false, 9), ("a:b", false, 1), ("a:b", true, 3),
            ("node_filesystem_files_free_r26{", true, 30), ("x_y_z_0123456789_abcdef ", true, 23), ("é", false, 0),
            ("ab\u{00E9}cdefghij", false, 2), ("abcdefghijklmnop", false, 16), ("abcdefg\u{00E9}", true, 7),
        ]
        for (text, metric, count) in cases {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                var lexer = Lexer(bytes: buffer, lineStart: 0, end: buffer.count)
                let range = metric ? lexer.scanMetricName() : lexer.scanLabelName()
                #expect(range == 0..<count, "\(text)")
                #expect(lexer.position == count, "\(text)")
            }
        }
    }

    /// The word-at-a-time comparison (overlapping last word) against element-wise equality, for
    /// every length up to 40 and a difference at every position.
    @Test func memcmpBytesMatchesElementwiseEquality() {
        let base = (0..<48).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for count in 0...40 {
            for differing in -1..<count {
                var other = base
                if differing >= 0 { other[differing] ^= 0x20 }
                let same = base.withUnsafeBufferPointer { left in
                    other.withUnsafeBufferPointer { right in memcmpBytes(left.baseAddress!, right.baseAddress!, count) }
                }
                #expect(same == (differing < 0), "count \(count) differing at \(differing)")
            }
        }
    }
}
