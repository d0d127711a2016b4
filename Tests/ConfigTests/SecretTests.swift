import Config
import Foundation
import Testing

/// Secrets: `*_file` variants, exclusivity, and that no rendering of a config shows a value.
@Suite struct SecretTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "lookout-config-secrets-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "pd-key-from-file\n".write(toFile: directory + "/pd.key", atomically: true, encoding: .utf8)
        try "https://hooks.slack.com/services/T/B/from-file\r\n".write(toFile: directory + "/slack.url", atomically: true, encoding: .utf8)
        try "smtp-password-from-file".write(toFile: directory + "/smtp.pw", atomically: true, encoding: .utf8)
    }

    static let fileConfig = """
        notify:
          channels:
            pager:
              pagerduty: {routing_key_file: pd.key}
            slack:
              slack: {webhook_url_file: slack.url}
            mail:
              email:
                smtp: smtps://smtp.example.com:465
                username: me
                password_file: smtp.pw
                from: a@example.com
                to: [b@example.com]
          default_channels: [pager]

        """

    @Test func fileVariantsReadTheFileAndTrimTheNewline() throws {
        let config = try ConfigLoader.parse(text: Self.fileConfig, fileName: "lookout.yml", directory: directory,
                                            environment: [:]).get()
        guard case .pagerduty(let pagerDuty) = config.notify.channel(named: "pager")?.kind,
              case .slack(let slack) = config.notify.channel(named: "slack")?.kind,
              case .email(let email) = config.notify.channel(named: "mail")?.kind
        else {
            Issue.record("channels missing")
            return
        }
        #expect(pagerDuty.routingKey.value == "pd-key-from-file")
        #expect(slack.webhookURL.value == "https://hooks.slack.com/services/T/B/from-file")
        #expect(email.password?.value == "smtp-password-from-file")
        #expect(email.tls == .implicit)
    }

    @Test func loadFromDiskResolvesSecretFilesBesideTheConfig() throws {
        let path = directory + "/lookout.yml"
        try Self.fileConfig.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: path, environment: [:]).get()
        #expect(config.notify.channels.count == 3)
    }

    @Test func bothValueAndFileIsAnError() {
        let text = "notify:\n  channels:\n    p:\n      pagerduty:\n        routing_key: x\n        routing_key_file: pd.key\n"
        let result = ConfigLoader.parse(text: text, fileName: "l.yml", directory: directory, environment: [:])
        guard case .failure(let errors) = result else { Issue.record("accepted"); return }
        #expect(errors.description
            == "l.yml:6:9: notify.channels.p.pagerduty: \"routing_key\" and \"routing_key_file\" are mutually exclusive; set only one")
    }

    @Test func secretPrintsRedacted() throws {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "<secret>")
        #expect(String(reflecting: secret) == "<secret>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        let json = String(decoding: try JSONEncoder().encode([secret]), as: UTF8.self)
        #expect(json == "[\"<secret>\"]")
    }

    /// Every secret value of the SPEC example, set through the environment, stays out of
    /// `String(describing:)`, `dump` and the summary.
    @Test func noRenderingOfAWholeConfigShowsASecret() throws {
        let text = Fixtures.read(Fixtures.testdata + "/good/spec-example.good.yml")
        let config = try ConfigLoader.parse(text: text, fileName: "lookout.yml", environment: Fixtures.fullEnvironment).get()
        var dumped = ""
        dump(config, to: &dumped)
        let renderings = [String(describing: config), String(reflecting: config), dumped, ConfigSummary.render(config)]
        let secrets = ["health-token-value", "pd-routing-key-value", "slack-secret-value", "smtp-password-value",
                       "rw-token-value"]
        for rendering in renderings {
            for secret in secrets { #expect(!rendering.contains(secret), "\(secret) leaked") }
        }
        #expect(dumped.contains("<secret>"))
        #expect(dumped.contains("smtp-user"), "non-secret values are still shown")
    }

    @Test func secretsAreNotEchoedInDiagnostics() {
        let text = "notify:\n  channels:\n    s:\n      slack: {webhook_url: \"not-a-url-${SECRET_TOKEN}\"}\n"
        let result = ConfigLoader.parse(text: text, fileName: "l.yml", environment: Fixtures.environment)
        guard case .failure(let errors) = result else { Issue.record("accepted"); return }
        #expect(!errors.description.contains("s3cr3t"))
        #expect(errors.description == "l.yml:4:28: notify.channels.s.slack.webhook_url: invalid URL")
    }
}

/// A URL that is not itself a secret (a check, a remote-write or Alertmanager endpoint, an SMTP
/// relay) may still carry credentials or a token in its query: an error about it names it without
/// them, since `lookout check` output and rejected reloads end up in terminals and the journal.
@Suite struct URLDiagnosticsTests {
    @Test(arguments: [
        ("checks:\n  - {name: c, http: \"htps://probe:pw-s3cr3t@api.example.com/h?token=q-s3cr3t\"}\n",
         "l.yml:2:21: checks[0].http: invalid URL \"htps://…@api.example.com/h?…\": scheme must be http:// or https://"),
        ("remote_write:\n  - url: \"rw:pw-s3cr3t@mimir.example.com/push\"\n",
         "l.yml:2:10: remote_write[0].url: invalid URL \"…@mimir.example.com/push\": scheme must be http:// or https://"),
        ("alertmanagers:\n  - url: \"http://am:pw-s3cr3t@/x#q-s3cr3t\"\n",
         "l.yml:2:10: alertmanagers[0].url: invalid URL \"http://…@/x#…\": missing host"),
    ])
    func urlErrorsHideUserInfoAndQuery(text: String, expected: String) {
        let result = ConfigLoader.parse(text: text, fileName: "l.yml", environment: [:])
        guard case .failure(let errors) = result else { Issue.record("accepted"); return }
        #expect(!errors.description.contains("s3cr3t"))
        #expect(errors.description == expected)
    }
}
