import Model

/// The settings that decide how a route's alerts are grouped and repeated, after inheritance.
public struct RouteOptions: Sendable, Hashable {
    /// Sorted label names to group by; ignored when `groupByAll`.
    public var groupBy: [String]
    /// `group_by: ['...']`: every alert is its own group.
    public var groupByAll: Bool
    public var groupWait: Int64
    public var groupInterval: Int64
    public var repeatInterval: Int64
    public var sendResolved: Bool

    /// Alertmanager's defaults, except `send_resolved` which is on, as SPEC's example.
    public static let defaults = RouteOptions(groupBy: [], groupByAll: false, groupWait: 30_000,
                                              groupInterval: 300_000, repeatInterval: 14_400_000, sendResolved: true)

    func inheriting(_ spec: RouteSpec) -> RouteOptions {
        var out = self
        if let by = spec.groupBy {
            out.groupByAll = by.contains("...")
            out.groupBy = Array(Set(by.filter { $0 != "..." })).sorted()
        }
        if let v = spec.groupWait { out.groupWait = v }
        if let v = spec.groupInterval { out.groupInterval = v }
        if let v = spec.repeatInterval { out.repeatInterval = v }
        if let v = spec.sendResolved { out.sendResolved = v }
        return out
    }

    /// The labels of `labels` this route groups by.
    func groupLabels(of labels: Labels) -> Labels {
        groupByAll ? labels : labels.keeping(Set(groupBy))
    }
}

/// A route after inheritance: what an alert that stops here is routed to.
public struct ResolvedRoute: Sendable, Hashable {
    /// Stable identity from the matchers on the path from the root (as Alertmanager's route key),
    /// so a reload that keeps a route keeps its groups and PagerDuty incidents.
    public var id: String
    public var channels: [String]
    public var options: RouteOptions
}

/// The routing tree: first matching child wins unless it has `continue`; a node none of whose
/// children match takes the alert itself. Immutable and cheap to share.
public struct Router: Sendable {
    private struct Node: Sendable {
        var route: ResolvedRoute
        var matchers: [Matcher]
        var continueMatching: Bool
        var children: [Node]
    }

    private let root: Node

    /// Builds the tree; the root's matchers are ignored (it takes every alert).
    public init(_ spec: RouteSpec) {
        var rootSpec = spec
        rootSpec.matchers = []
        root = Router.build(rootSpec, parentID: "", parentOptions: .defaults, index: nil)
    }

    /// The routes an alert with `labels` goes to, in tree order. Never empty.
    public func match(_ labels: Labels) -> [ResolvedRoute] {
        Router.match(root, labels) ?? [root.route]
    }

    private static func match(_ node: Node, _ labels: Labels) -> [ResolvedRoute]? {
        guard node.matchers.allSatisfy({ $0.matches(labels) }) else { return nil }
        var all: [ResolvedRoute] = []
        for child in node.children {
            guard let found = match(child, labels) else { continue }
            all += found
            if !child.continueMatching { break }
        }
        return all.isEmpty ? [node.route] : all
    }

    private static func build(_ spec: RouteSpec, parentID: String, parentOptions: RouteOptions, index: Int?) -> Node {
        let options = parentOptions.inheriting(spec)
        var id = parentID.isEmpty ? "" : parentID + "/"
        id += "{" + spec.matchers.map(\.description).joined(separator: ",") + "}"
        if let index { id += "#\(index)" }
        var seen: [String: Int] = [:]
        let children = spec.routes.map { child in
            let key = child.matchers.map(\.description).joined(separator: ",")
            let count = seen[key, default: 0]
            seen[key] = count + 1
            // Only siblings with identical matchers need the index to stay apart.
            return build(child, parentID: id, parentOptions: options, index: count == 0 ? nil : count)
        }
        return Node(route: ResolvedRoute(id: id, channels: spec.channels, options: options),
                    matchers: spec.matchers, continueMatching: spec.continueMatching, children: children)
    }
}
