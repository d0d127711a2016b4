import Config
import Testing

/// `${NAME}` / `${NAME:-default}` expansion happens inside scalars, before types are checked.
@Suite struct EnvironmentTests {
    static let yaml = """
        global:
          retention: ${RETENTION:-7d}
          data_dir: "${DATA:-/tmp/lookout}/db"
        alerts:
          - name: Cost
            daily_cost: {counter: cost_total}
            above: ${DAILY_COST_THRESHOLD:-50}
          - name: Literal
            expr: sum(price_dollars) > $$10 and on() vector($$5)

        """

    private func parse(_ text: String, _ environment: [String: String]) -> Result<LookoutConfig, ConfigErrors> {
        ConfigLoader.parse(text: text, fileName: "lookout.yml", environment: environment)
    }

    @Test func defaultsApplyWhenUnset() throws {
        let config = try parse(Self.yaml, [:]).get()
        #expect(config.global.retention == 7 * 86_400_000)
        #expect(config.global.dataDir == "/tmp/lookout/db")
        #expect(config.alerts[0].threshold == .above(50))
        #expect(config.alerts[1].kind == .expr("sum(price_dollars) > $10 and on() vector($5)"))
    }

    @Test func environmentWinsOverDefault() throws {
        let config = try parse(Self.yaml, ["RETENTION": "90d", "DAILY_COST_THRESHOLD": "12.5", "DATA": "/srv"]).get()
        #expect(config.global.retention == 90 * 86_400_000)
        #expect(config.global.dataDir == "/srv/db")
        #expect(config.alerts[0].threshold == .above(12.5))
    }

    @Test func typeIsCheckedAfterExpansion() {
        let result = parse(Self.yaml, ["DAILY_COST_THRESHOLD": "fifty"])
        #expect(lines(result) == [
            "lookout.yml:7:12: alerts[0].above: invalid threshold \"fifty\" (want a number or a duration such as 5s)",
        ])
    }

    @Test func unsetVariableWithoutDefaultIsNamed() {
        let result = parse("global:\n  external_url: ${LOOKOUT_URL}\n", [:])
        #expect(lines(result) == [
            "lookout.yml:2:17: global.external_url: environment variable LOOKOUT_URL is not set (give a default with ${LOOKOUT_URL:-value})",
        ])
    }

    @Test func everyMissingVariableIsReported() {
        let text = "global:\n  external_url: ${A}\n  timezone: ${B}\n  data_dir: ${C:-ok}\n"
        #expect(lines(parse(text, [:])).count == 2)
    }

    @Test func keysAreNotExpanded() {
        let result = parse("global:\n  ${KEY}: 1\n", ["KEY": "retention"])
        #expect(lines(result) == ["lookout.yml:2:3: global: unknown key \"${KEY}\""])
    }

    private func lines(_ result: Result<LookoutConfig, ConfigErrors>) -> [String] {
        guard case .failure(let errors) = result else { return ["<valid>"] }
        return errors.diagnostics.map(\.description)
    }
}
