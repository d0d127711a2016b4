import Config
import Testing

/// `alertmanagers:` decoded values and defaults (errors are in testdata/bad/alertmanagers-*).
@Suite struct AlertmanagerConfigTests {
    @Test func entriesDecodeWithDefaults() throws {
        let config = try Fixtures.parse(Fixtures.testdata + "/good", "alertmanagers.good.yml").get()
        let ams = config.alertmanagers
        #expect(ams.map(\.url) == ["http://am-1.example.com:9093", "https://am-2.example.com/alertmanager/", "http://am-3.example.com:9093"])
        #expect(ams.map(\.timeout) == [10_000, 3_000, 10_000])
        #expect(ams[0].auth == nil && ams[0].headers.isEmpty)
        #expect(ams[1].position.line == 3)
        guard case .basic(let user, let password)? = ams[1].auth else { Issue.record("basic auth"); return }
        #expect(user == "lookout" && password.value == "s3cret")
        #expect(ams[1].headers["X-Scope-OrgID"]?.value == "team-a")
        guard case .bearerToken(let token)? = ams[2].auth else { Issue.record("bearer token"); return }
        #expect(token.value == "tok")
    }
}

/// The README's Alertmanager example must load as written.
@Suite struct AlertmanagerReadmeTests {
    @Test func readmeExampleLoads() throws {
        let readme = Fixtures.read(Fixtures.repoRoot + "/README.md")
        let section = try #require(readme.range(of: "### Alertmanager"))
        let rest = readme[section.upperBound...]
        let start = try #require(rest.range(of: "```yaml\n"))
        let end = try #require(rest[start.upperBound...].range(of: "```"))
        let yaml = String(rest[start.upperBound..<end.lowerBound])
        let result = ConfigLoader.parse(text: yaml, fileName: "README.md", directory: Fixtures.repoRoot,
                                        environment: ["ALERTMANAGER_TOKEN": "t0ken"], validator: Fixtures.validator)
        let config = try result.get()
        #expect(config.alertmanagers.count == 3)
        #expect(config.alertmanagers[2].timeout == 5_000 && config.alertmanagers[2].headers["X-Scope-OrgID"]?.value == "team-a")
        guard case .bearerToken(let token)? = config.alertmanagers[2].auth else { Issue.record("bearer token"); return }
        #expect(token.value == "t0ken")
    }
}
