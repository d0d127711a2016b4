import Model
import Testing
@testable import Notify

@Suite struct RouterTests {
    // SPEC §2's example routes.
    let router = Router(RouteSpec(channels: ["journal"], groupBy: ["alertname", "job"], routes: [
        RouteSpec(matchers: [m("severity=critical")], channels: ["pager", "team-slack"]),
        RouteSpec(matchers: [m(#"service=~"billing|payments""#), m(#"env!="staging""#)], channels: ["ops-email"],
                  continueMatching: true),
        RouteSpec(matchers: [m("severity=warning")], channels: ["team-slack", "ops-email"], groupWait: 5000),
    ]))

    @Test(arguments: [
        (["severity": "critical", "service": "billing"], [["pager", "team-slack"]]),
        (["severity": "warning", "service": "billing"], [["ops-email"], ["team-slack", "ops-email"]]),
        (["severity": "warning", "service": "billing", "env": "staging"], [["team-slack", "ops-email"]]),
        (["severity": "info", "service": "payments"], [["ops-email"]]),
        (["severity": "info"], [["journal"]]),
        ([:], [["journal"]]),
    ] as [([String: String], [[String]])])
    func firstMatchWinsUnlessContinue(labels: [String: String], expected: [[String]]) {
        #expect(router.match(Labels(labels)).map(\.channels) == expected)
    }

    @Test func childrenInheritAndOverrideOptions() {
        let routes = router.match(["severity": "warning"])
        #expect(routes.count == 1)
        #expect(routes[0].options.groupBy == ["alertname", "job"])
        #expect(routes[0].options.groupWait == 5000)
        #expect(routes[0].options.groupInterval == RouteOptions.defaults.groupInterval)
    }

    @Test func routeIDsAreStableAndDistinct() {
        let dup = Router(RouteSpec(routes: [
            RouteSpec(matchers: [m("a=1")], channels: ["x"], continueMatching: true),
            RouteSpec(matchers: [m("a=1")], channels: ["y"]),
        ]))
        let ids = dup.match(["a": "1"]).map(\.id)
        #expect(ids == [#"{}/{a="1"}"#, #"{}/{a="1"}#1"#])
    }

    @Test func nestedRoutesFallBackToParent() {
        let tree = Router(RouteSpec(channels: ["root"], routes: [
            RouteSpec(matchers: [m("team=core")], channels: ["core"], routes: [
                RouteSpec(matchers: [m("severity=critical")], channels: ["core-pager"]),
            ]),
        ]))
        #expect(tree.match(["team": "core", "severity": "critical"]).map(\.channels) == [["core-pager"]])
        #expect(tree.match(["team": "core"]).map(\.channels) == [["core"]])
        #expect(tree.match(["team": "web"]).map(\.channels) == [["root"]])
    }
}

@Suite struct MatcherParserTests {
    @Test(arguments: [
        ("job=api", "job", Matcher.Kind.equal, "api"),
        ("job!=api", "job", .notEqual, "api"),
        ("job=~api|web", "job", .regexMatch, "api|web"),
        ("job!~api.*", "job", .regexNoMatch, "api.*"),
        (#"service=~"billing|payments""#, "service", .regexMatch, "billing|payments"),
        (#" env != "sta\"ging" "#, "env", .notEqual, #"sta"ging"#),
        ("summary=a=b", "summary", .equal, "a=b"),
        ("empty=", "empty", .equal, ""),
    ])
    func parses(text: String, name: String, kind: Matcher.Kind, value: String) throws {
        let matcher = try MatcherParser.parse(text)
        #expect(matcher.name == name && matcher.kind == kind && matcher.value == value)
    }

    @Test(arguments: ["", "=x", "9a=1", "job", "job~x", #"a="unterminated"#, "a=~(", "a b=1"])
    func rejects(text: String) {
        #expect(throws: MatcherParser.ParseError.self) { try MatcherParser.parse(text) }
    }
}
