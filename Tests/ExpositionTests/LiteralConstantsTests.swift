import Testing
@testable import Exposition
import Model

/// The hot path spells some values as literals (no `swift_once` per sample); they must equal
/// what they stand for.
@Suite("Literal constants of the parser")
struct LiteralConstantsTests {
    @Test("the metric name label, its sort key and its hash")
    func metricName() {
        #expect(ExpositionParser.metricNameLabel == Labels.metricName)
        #expect(PendingLabel.metricNameKey == PendingLabel.nameKey("__name__"))
        let hash = Array(Labels.metricName.utf8).withUnsafeBufferPointer { StringInterner.hash($0) }
        #expect(ExpositionParser.metricNameHash == hash)
    }
}
