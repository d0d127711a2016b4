import Foundation
import Model
@testable import Query

/// Compares a query result with the expected lines of a script's eval command.
struct ResultMatcher {
    let expected: [String]
    let ordered: Bool
    let rangeStart: Int64?
    let step: Int64

    struct Mismatch: Error, CustomStringConvertible { let description: String }

    func check(_ result: QueryResult) throws {
        switch result {
        case .scalar(let sample):
            guard expected.count == 1 else { throw Mismatch(description: "got scalar \(sample.value), expected \(expected)") }
            try compare(sample.value, expected[0], context: "scalar")
        case .string(let text, _):
            guard expected.count == 1, expected[0] == goQuoted(text) else { throw Mismatch(description: "got string \(text)") }
        case .vector(let elements):
            try checkVector(elements)
        case .matrix(let series):
            try checkMatrix(series)
        }
    }

    private func checkVector(_ elements: [VectorElement]) throws {
        guard elements.count == expected.count else {
            throw Mismatch(description: "got \(elements.count) elements, expected \(expected.count): \(elements.map { "\($0.labels) \($0.sample.value)" })")
        }
        var byLabels: [Labels: Double] = [:]
        for element in elements { byLabels[element.labels] = element.sample.value }
        for (i, line) in expected.enumerated() {
            let (labelsText, valueText) = SeriesNotation.splitLabels(line)
            let labels = try SeriesNotation.parseLabels(labelsText)
            let value = valueText.trimmingCharacters(in: .whitespaces)
            if ordered {
                guard elements[i].labels == labels else {
                    throw Mismatch(description: "position \(i): got \(elements[i].labels), expected \(labels)")
                }
                try compare(elements[i].sample.value, value, context: "\(labels)")
            } else {
                guard let actual = byLabels[labels] else {
                    throw Mismatch(description: "missing \(labels); got \(elements.map(\.labels))")
                }
                try compare(actual, value, context: "\(labels)")
            }
        }
    }

    private func checkMatrix(_ series: [Series]) throws {
        guard series.count == expected.count else {
            throw Mismatch(description: "got \(series.count) series, expected \(expected.count): \(series.map { "\($0.labels) \($0.samples.map(\.value))" })")
        }
        for line in expected {
            let (labelsText, valuesText) = SeriesNotation.splitLabels(line)
            let labels = try SeriesNotation.parseLabels(labelsText)
            guard let actual = series.first(where: { $0.labels == labels }) else {
                throw Mismatch(description: "missing \(labels); got \(series.map(\.labels))")
            }
            let tokens = try SeriesNotation.expand(valuesText)
            let present = tokens.compactMap { token -> Double? in
                if case .number(let v) = token { return v }
                return nil
            }
            guard present.count == actual.samples.count else {
                throw Mismatch(description: "\(labels): got \(actual.samples.map(\.value)), expected \(valuesText)")
            }
            for (value, sample) in zip(present, actual.samples) {
                try compare(sample.value, GoFloat.formatG(value), context: "\(labels)", exact: false)
            }
            if let rangeStart {
                // Missing steps (`_`) must line up with the timestamps.
                let expectedTimes = tokens.enumerated().compactMap { item -> Int64? in
                    if case .number = item.element { return rangeStart + Int64(item.offset) * step }
                    return nil
                }
                guard expectedTimes == actual.samples.map(\.timestamp) else {
                    throw Mismatch(description: "\(labels): timestamps \(actual.samples.map(\.timestamp)), expected \(expectedTimes)")
                }
            }
        }
    }

    private func compare(_ actual: Double, _ expectedText: String, context: String, exact: Bool? = nil) throws {
        let expected = try SeriesNotation.number(expectedText)
        let digits = expectedText.filter(\.isNumber).drop { $0 == "0" }.count
        let isExact = exact ?? (digits >= 17)
        let ok: Bool
        if expected.isNaN || actual.isNaN {
            ok = expected.isNaN && actual.isNaN
        } else if isExact || expected.isInfinite || expected == 0 {
            ok = actual == expected
        } else {
            ok = abs(actual - expected) <= 1e-6 * abs(expected)
        }
        if !ok { throw Mismatch(description: "\(context): got \(GoFloat.formatG(actual)), expected \(expectedText)") }
    }
}
