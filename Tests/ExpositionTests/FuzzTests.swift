import Testing
import TestSupport
@testable import Exposition

/// Mutates valid payloads (byte flips, truncation, insertion, deletion, line swaps) and checks the
/// parser never crashes and either parses or throws an error positioned inside the input.
@Suite("Fuzzing")
struct FuzzTests {
    private static let interesting: [UInt8] = Array("{}=\",#\\ \n\r\t.eE+-_:0919aZ".utf8) + [0, 0x80, 0xC3, 0xFF]

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
            let index = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: bytes[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1: bytes.removeSubrange(index...)
            case 2: bytes.insert(interesting.randomElement(using: &rng)!, at: index)
            case 3: bytes[index] = interesting.randomElement(using: &rng)!
            case 4: bytes.removeSubrange(index..<min(bytes.count, index + Int.random(in: 1...8, using: &rng)))
            default:
                let other = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.insert(contentsOf: bytes[min(index, other)..<max(index, other)].prefix(40), at: index)
            }
        }
        return bytes
    }

    /// A window of a few whole lines of a corpus payload (OpenMetrics ones keep their `# EOF`),
    /// so each iteration is small and 20k of them stay fast in debug builds.
    static func window(_ seed: Seed, _ rng: inout SplitMix) -> [UInt8] {
        let first = Int.random(in: 0..<seed.lineStarts.count, using: &rng)
        let next = first + Int.random(in: 1...8, using: &rng)
        let end = next < seed.lineStarts.count ? seed.lineStarts[next] : seed.bytes.count
        var bytes = Array(seed.bytes[seed.lineStarts[first]..<end])
        if seed.format == .openMetrics, Bool.random(using: &rng) { bytes += Array("# EOF\n".utf8) }
        return bytes
    }

    struct Seed {
        let bytes: [UInt8]
        let format: ExpositionFormat
        let lineStarts: [Int]

        init(_ name: String) throws {
            let bytes = try Corpus.bytes("good/" + name)
            self.bytes = bytes
            format = Corpus.format(of: name)
            lineStarts = [0] + bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") && $0 + 1 < bytes.count }.map { $0 + 1 }
        }
    }

    @Test("20k mutated payloads never crash the parser")
    func mutations() throws {
        let seeds = try Corpus.payloads("good").map(Seed.init)
        var rng = SplitMix(state: 0x5EED)
        var parsed = 0, rejected = 0
        var misplaced: [String] = []
        for iteration in 0..<20_000 {
            let seed = seeds[iteration % seeds.count]
            let input = FuzzTests.mutate(FuzzTests.window(seed, &rng), &rng)
            do {
                _ = try Corpus.drain(input, seed.format)
                parsed += 1
            } catch {
                rejected += 1
                let lines = input.count(where: { $0 == UInt8(ascii: "\n") }) + 1
                if error.line < 1 || error.line > lines + 1 || error.column < 1 || error.message.isEmpty {
                    misplaced.append("\(error) in \(String(decoding: input, as: UTF8.self).debugDescription)")
                }
            }
        }
        #expect(misplaced.isEmpty, "\(misplaced.prefix(3))")
        #expect(parsed + rejected == 20_000)
        #expect(parsed > 1000 && rejected > 1000, "parsed \(parsed), rejected \(rejected)")
    }

    @Test("whole corpus payloads survive every single-byte truncation")
    func truncations() throws {
        for name in Corpus.payloads("good") {
            let bytes = try Corpus.bytes("good/" + name)
            for end in stride(from: 0, to: bytes.count, by: 7) {
                do { _ = try Corpus.drain(Array(bytes[..<end]), Corpus.format(of: name)) } catch {
                    #expect(error.line >= 1)
                }
            }
        }
    }
}
