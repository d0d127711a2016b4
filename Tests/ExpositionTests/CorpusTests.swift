import Foundation
import Testing
@testable import Exposition
import Model

@Suite("Payload corpus")
struct CorpusTests {
    @Test("good payloads parse to their expected samples", arguments: Corpus.payloads("good"))
    func goodPayload(_ name: String) throws {
        var parser = ExpositionParser(try Corpus.bytes("good/" + name), format: Corpus.format(of: name))
        let samples = try parser.parseAll()
        let expected = try Corpus.text("good/" + Corpus.sibling(name, "expected")).split(separator: "\n")
        #expect(samples.count == expected.count)
        for (sample, line) in zip(samples, expected) {
            let want = try #require(Corpus.parseExpected(line), "bad expected line \(line)")
            #expect(sample.labels.description == want.labels)
            #expect(sample.value == want.value || (sample.value.isNaN && want.value.isNaN), "\(line)")
            #expect(sample.timestamp == want.timestamp, "\(line)")
        }
    }

    @Test("bad payloads fail with their expected error", arguments: Corpus.payloads("bad"))
    func badPayload(_ name: String) throws {
        let expected = try Corpus.text("bad/" + Corpus.sibling(name, "error")).trimmingCharacters(in: .newlines)
        let bytes = try Corpus.bytes("bad/" + name)
        #expect(throws: ExpositionError.self) { try Corpus.drain(bytes, Corpus.format(of: name)) }
        do {
            _ = try Corpus.drain(bytes, Corpus.format(of: name))
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test("the corpus is not empty")
    func corpusPresent() {
        #expect(Corpus.payloads("good").count >= 7)
        #expect(Corpus.payloads("bad").count >= 30)
    }
}
