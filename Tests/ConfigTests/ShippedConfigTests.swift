import Config
import Foundation
import Testing

/// The files in config/ and the embedded default must load as shipped, with no environment.
@Suite struct ShippedConfigTests {
    static let configDirectory = Fixtures.repoRoot + "/config"

    @Test(arguments: ["lookout.yml", "lookout.reference.yml"])
    func shippedConfigValidatesWithoutEnvironment(_ name: String) throws {
        let result = ConfigLoader.load(path: Self.configDirectory + "/" + name, environment: [:],
                                       validator: Fixtures.validator)
        if case .failure(let errors) = result { Issue.record("\(errors)") }
        let config = try result.get()
        #expect(config.ruleFiles.map { ($0.path as NSString).lastPathComponent } == ["example.yml"])
        #expect(config.ruleFiles.first?.groups.first?.rules.count == 5)
    }

    @Test func shippedConfigRunsLikeTheDefault() throws {
        let config = try ConfigLoader.load(path: Self.configDirectory + "/lookout.yml", environment: [:]).get()
        #expect(config.global.dataDir == "./data")
        #expect(config.hostMetrics)
        #expect(config.checks.map(\.name) == ["lookout-self"])
        #expect(config.notify.channels.map(\.kindName) == ["log"])
    }

    @Test func referenceConfigSetsEveryTopLevelSection() throws {
        let config = try ConfigLoader.load(path: Self.configDirectory + "/lookout.reference.yml", environment: [:]).get()
        #expect(!config.checks.isEmpty && !config.scrape.isEmpty && !config.sql.isEmpty && !config.alerts.isEmpty)
        #expect(!config.remoteWrite.isEmpty && !config.alertmanagers.isEmpty && !config.reports.isEmpty)
        #expect(config.global.heartbeat != nil && config.global.apiAuth != nil)
        #expect(Set(config.notify.channels.map(\.kindName)) == ["pagerduty", "slack", "email", "webhook", "log"])
        #expect(config.global.timezone.identifier == "Europe/Berlin")
    }

    @Test func exampleRuleFileLoadsOnItsOwn() throws {
        let file = try ConfigLoader.loadRuleFile(path: Self.configDirectory + "/rules/example.yml").get()
        let names = file.groups.flatMap(\.rules).map(\.name)
        #expect(names.contains("instance:node_cpu_utilisation:rate5m") && names.contains("TargetDown"))
        #expect(file.groups.first?.interval == 30_000)
    }

    @Test func envExampleNamesEveryVariableTheShippedConfigsUse() throws {
        let env = Fixtures.read(Self.configDirectory + "/lookout.env.example")
        let shipped = Fixtures.read(Self.configDirectory + "/lookout.yml")
        for name in ["SLACK_WEBHOOK_URL", "SMTP_USER", "SMTP_PASSWORD", "PAGERDUTY_ROUTING_KEY"] {
            #expect(shipped.contains("${\(name)}") && env.contains("\n\(name)="), "\(name)")
        }
    }

    @Test func embeddedDefaultLoads() throws {
        let config = try ConfigLoader.loadDefault(validator: Fixtures.validator).get()
        #expect(config.source == "<default>")
        #expect(config.global.dataDir == "/var/lib/lookout")
        #expect(config.hostMetrics)
        #expect(config.scrape.map(\.job) == ["lookout"])
        #expect(config.scrape[0].targets == [HostPort(host: "127.0.0.1", port: 9464)])
        #expect(config.checks.map(\.name) == ["lookout-self"])
        #expect(config.checks[0].target == .http(url: "http://127.0.0.1:9464/-/healthy"))
        #expect(config.alerts.map(\.name) == ["LookoutSelfCheckFailing", "HighMemory"])
        #expect(config.notify.defaultChannels == ["journal"])
        #expect(config.notify.channels.map(\.kindName) == ["log"])
    }

    @Test func dataDirOverrideReplacesTheConfiguredOne() throws {
        let fallback = try ConfigLoader.loadDefault(dataDirOverride: "/run/state/lookout").get()
        #expect(fallback.global.dataDir == "/run/state/lookout")
        let fromFile = try ConfigLoader.load(path: Self.configDirectory + "/lookout.yml", environment: [:],
                                             dataDirOverride: "/tmp/x").get()
        #expect(fromFile.global.dataDir == "/tmp/x")
    }

    @Test func missingFileIsOneDiagnostic() {
        guard case .failure(let errors) = ConfigLoader.load(path: "/nonexistent/lookout.yml", environment: [:]) else {
            Issue.record("loaded")
            return
        }
        #expect(errors.description == "/nonexistent/lookout.yml:1:1: cannot read config file: no such file or directory")
    }
}
