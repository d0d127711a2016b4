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

    @Test("nextSample: the same samples and the same errors as next(), HELP, TYPE and UNIT left out",
          arguments: Corpus.payloads("good").map { "good/" + $0 } + Corpus.payloads("bad").map { "bad/" + $0 })
    func samplesOnly(_ path: String) throws {
        let bytes = try Corpus.bytes(path), format = Corpus.format(of: path)
        var parser = ExpositionParser(bytes, format: format)
        var all: [ExpositionEntry] = [], allError: ExpositionError?
        do {
            while let entry = try parser.next() { all.append(entry) }
        } catch {
            allError = error
        }
        parser = ExpositionParser(bytes, format: format)
        var samples: [ExpositionEntry] = [], samplesError: ExpositionError?
        do {
            while let sample = try parser.nextSample() {
                samples.append(.sample(labels: sample.labels, value: sample.value, timestamp: sample.timestamp))
            }
        } catch {
            samplesError = error
        }
        // Compared as text: a NaN sample value is not equal to itself.
        #expect(samples.map { "\($0)" } == all.filter { if case .sample = $0 { true } else { false } }.map { "\($0)" })
        #expect(samplesError == allError)
        #expect(path.hasPrefix("bad/") == (allError != nil))
    }

    @Test("the corpus is not empty")
    func corpusPresent() {
        #expect(Corpus.payloads("good").count >= 7)
        #expect(Corpus.payloads("bad").count >= 30)
    }
}
