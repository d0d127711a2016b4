import Config
import Foundation
import Testing
@testable import Rules

/// PromQL errors in rule files point at their line and column in the file whatever the YAML style
/// of the expression: `|` blocks (also at the end of the text), `>` / `>-` folded blocks and plain
/// scalars continued on the next lines, as teams write long expressions.
@Suite struct RuleFilePositionTests {
    static let text = """
        groups:
          - name: positions
            rules:
              - alert: Unclosed
                expr: |
                  sum by (job) (
                    rate(http_requests_total[5m]
                  )
                annotations:
                  summary: x
              - alert: Folded
                expr: >-
                  up
                  == 0 and on(job) foo(bar)
              - alert: FoldedClip
                expr: >
                  sum(rate(a[5m]))
                    / sum(rate(b[5m])) bar
              - alert: Plain
                expr: sum(rate(errors_total[5m]))
                  / sum(rate(requests_total[5m])) > 0.1 +
              - alert: OneLine
                expr: up == 0 or
        """

    @Test func errorsPointIntoTheExpression() throws {
        let path = NSTemporaryDirectory() + "positions-\(UInt32.random(in: 0...UInt32.max)).rules.yml"
        try Self.text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard case .failure(let errors) = ConfigLoader.loadRuleFile(path: path, validator: RuleValidation.validator) else {
            Issue.record("accepted"); return
        }
        let places = errors.diagnostics.map { "\($0.position.line):\($0.position.column)" }
        #expect(places == [
            "8:12",   // just after the last `)` of the block, not on `annotations:`
            "14:28",  // foo(, on the second line of the folded block
            "16:15",  // a more-indented line keeps its newline in `>`: the scalar's own place
            "21:50",  // the end of the continued plain scalar
            "23:25",  // the end of a one-line plain scalar
        ], "\(errors)")
    }
}
