import Testing
@testable import Exposition
import Model

/// The hot path spells some values as literals (no `swift_once` per sample); they must equal
/// what they stand for.
@Suite("Literal constants of the parser")
struct LiteralConstantsTests {
    @Test("the metric name label and its sort key")
    func metricName() {
        #expect(ExpositionParser.metricNameLabel == Labels.metricName)
        #expect(PendingLabel.metricNameKey == PendingLabel.nameKey("__name__"))
    }
}
