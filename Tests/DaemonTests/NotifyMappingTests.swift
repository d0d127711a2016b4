import Config
import Model
import Notify
import Testing
@testable import Daemon

/// The configured routing tree reaches the notifier's `Router` with Alertmanager's inheritance:
/// grouping overrides per route, nested routes, and channels taken from the parent when left out.
@Suite struct NotifyMappingTests {
    static let yaml = """
        notify:
          channels: {pager: {log: {}}, team: {log: {}}, billing: {log: {}}, billing-warn: {log: {}}}
          default_channels: [team]
          group_by: [alertname, service]
          repeat_interval: 3h
          routes:
            - matchers: ['severity="critical"']
              channels: [pager]
              group_wait: 10s
              continue: true
            - matchers: ['service=~"billing|payments"']
              channels: [billing]
              group_by: [alertname, instance]
              send_resolved: false
              routes:
                - {matchers: ['severity="warning"'], channels: [billing-warn]}
                - {matchers: ['alertname="BillingJobLate"'], repeat_interval: 12h}
        """

    static func router() throws -> Router {
        let config = try ConfigLoader.parse(text: yaml, fileName: "tree.yml", environment: [:]).get()
        return Router(NotifyMapping.settings(config).route)
    }

    @Test func nestedRouteWithoutChannelsUsesItsParents() throws {
        let routes = try Self.router().match(Labels(["alertname": "BillingJobLate", "service": "billing"]))
        #expect(routes.map(\.channels) == [["billing"]])
        #expect(routes[0].options.repeatInterval == 12 * 3_600_000)
        #expect(routes[0].options.groupBy == ["alertname", "instance"] && !routes[0].options.sendResolved)
    }

    @Test func continueThenNestedRoute() throws {
        let routes = try Self.router().match(Labels(["alertname": "Slow", "service": "payments", "severity": "critical"]))
        #expect(routes.map(\.channels) == [["pager"], ["billing"]])
        #expect(routes[0].options.groupWait == 10_000 && routes[0].options.repeatInterval == 3 * 3_600_000)
        #expect(routes[0].options.groupBy == ["alertname", "service"])
        let warning = try Self.router().match(Labels(["alertname": "Slow", "service": "payments", "severity": "warning"]))
        #expect(warning.map(\.channels) == [["billing-warn"]])
        #expect(warning[0].options.groupBy == ["alertname", "instance"], "inherited from the parent route")
    }

    @Test func unmatchedGoesToDefaultChannels() throws {
        let routes = try Self.router().match(Labels(["alertname": "X", "service": "web"]))
        #expect(routes.map(\.channels) == [["team"]])
    }
}

extension NotifyMappingTests {
    /// The notification log is kept for twice the longest repeat interval anywhere in the tree,
    /// not only the root's, or a route repeating weekly would be re-sent when its entry is pruned.
    @Test func longestRepeatIntervalLooksAtNestedRoutes() throws {
        let config = try ConfigLoader.parse(text: Self.yaml.replacingOccurrences(of: "repeat_interval: 12h", with: "repeat_interval: 7d"),
                                            fileName: "tree.yml", environment: [:]).get()
        #expect(NotifyMapping.settings(config).route.longestRepeatInterval == 7 * 86_400_000)
    }
}
