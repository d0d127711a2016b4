import Model

/// Decoding of `notify:` apart from the channels.
enum NotifyDecoder {
    static let keys = [
        "channels", "routes", "default_channels", "group_by", "group_wait", "group_interval",
        "repeat_interval", "send_resolved", "max_age", "inhibit",
    ]

    /// The config plus where each channel reference sits, for the cross-reference pass.
    static func decode(_ cursor: Cursor?, references: inout [Reference]) -> NotifyConfig {
        var notify = NotifyConfig(
            channels: [], routes: [], defaultChannels: [], groupBy: ["alertname"], groupWait: 30_000,
            groupInterval: 300_000, repeatInterval: 4 * 3_600_000, sendResolved: true, maxAge: 86_400_000,
            inhibit: [])
        guard let cursor, let fields = cursor.fields(keys, aliases: alertmanagerKeys) else { return notify }
        // Channel names are mapping keys, so a duplicate is a duplicate YAML key, reported by the walk.
        for entry in fields["channels"]?.entries() ?? [] {
            if let channel = ChannelDecoder.decode(name: entry.key, entry.value) { notify.channels.append(channel) }
        }
        for route in fields["routes"]?.sequence() ?? [] {
            if let decoded = decodeRoute(route, depth: 1, references: &references) { notify.routes.append(decoded) }
        }
        if let list = fields["default_channels"]?.sequence() {
            notify.defaultChannels = channelList(list, references: &references)
        }
        notify.groupBy = groupBy(fields) ?? notify.groupBy
        notify.groupWait = fields.duration("group_wait") ?? notify.groupWait
        notify.groupInterval = fields.duration("group_interval", positive: true) ?? notify.groupInterval
        notify.repeatInterval = fields.duration("repeat_interval", positive: true) ?? notify.repeatInterval
        notify.sendResolved = fields.bool("send_resolved") ?? notify.sendResolved
        notify.maxAge = fields.duration("max_age", positive: true) ?? notify.maxAge
        notify.inhibit = fields["inhibit"]?.sequence()?.compactMap(decodeInhibit) ?? []
        return notify
    }

    static func channelList(_ list: [Cursor], references: inout [Reference]) -> [String] {
        list.compactMap { node in
            guard let name = node.nonEmptyString() else { return nil }
            references.append(Reference(kind: .channel, name: name, at: node))
            return name
        }
    }

    /// `group_by`: label names, or `...` for all labels.
    private static func groupBy(_ fields: Fields) -> [String]? {
        fields["group_by"]?.sequence()?.compactMap { node in
            guard let name = node.string() else { return nil }
            if name != "..." && !LabelName.isValid(name) { node.error("invalid label name \"\(name)\"") }
            return name
        }
    }

    static let routeKeys = [
        "match", "matchers", "channels", "continue", "group_by", "group_wait", "group_interval",
        "repeat_interval", "send_resolved", "routes",
    ]

    /// Top-level `alertmanager.yml` keys, with where they go in `notify:`.
    static let alertmanagerKeys = [
        "route": "put the root route's grouping keys directly under notify:, its receiver in \"default_channels\" and its child routes in \"routes\"",
        "receivers": "Lookout calls them \"channels\"",
        "inhibit_rules": "Lookout calls it \"inhibit\"",
    ]

    /// Alertmanager route keys a ported `alertmanager.yml` brings along, with what to write instead.
    static let alertmanagerRouteKeys = [
        "receiver": "a route names its channels in \"channels\"",
        "match_re": "write regex matchers in \"matchers\", e.g. 'service=~\"a|b\"'",
        "mute_time_intervals": "not supported; use silences",
        "active_time_intervals": "not supported; use silences",
    ]

    /// Alertmanager `inhibit_rules` keys, with Lookout's names.
    static let alertmanagerInhibitKeys = [
        "source_match": "Lookout calls it \"source\"",
        "target_match": "Lookout calls it \"target\"",
        "source_match_re": "write regex matchers in \"source_matchers\"",
        "target_match_re": "write regex matchers in \"target_matchers\"",
    ]

    /// Routes nest at most this deep (Alertmanager trees are a few levels; the bound keeps hostile
    /// input from exhausting the stack).
    static let maxRouteDepth = 16

    /// A route at `depth` (1 for a top-level route). A top-level route names its channels; a nested
    /// one may leave them out to use its parent's, as an Alertmanager route inherits its receiver.
    private static func decodeRoute(_ cursor: Cursor, depth: Int, references: inout [Reference]) -> RouteConfig? {
        guard let fields = cursor.fields(routeKeys, aliases: alertmanagerRouteKeys) else { return nil }
        var matchers = fields["match"]?.equalityMatchers() ?? []
        matchers += fields["matchers"]?.sequence()?.compactMap { $0.matcher() } ?? []
        var channels: [String] = []
        if let node = depth == 1 ? fields.required("channels") : fields["channels"], let list = node.sequence() {
            channels = channelList(list, references: &references)
            if list.isEmpty { node.error("needs at least one channel") }
        }
        var children: [RouteConfig] = []
        if let node = fields["routes"], let list = node.sequence() {
            if depth >= maxRouteDepth {
                node.error("routes nest at most \(maxRouteDepth) levels deep")
            } else {
                children = list.compactMap { decodeRoute($0, depth: depth + 1, references: &references) }
            }
        }
        return RouteConfig(matchers: matchers, channels: channels,
                           continueMatching: fields.bool("continue") ?? false, position: cursor.position,
                           groupBy: groupBy(fields), groupWait: fields.duration("group_wait"),
                           groupInterval: fields.duration("group_interval", positive: true),
                           repeatInterval: fields.duration("repeat_interval", positive: true),
                           sendResolved: fields.bool("send_resolved"), routes: children)
    }

    /// An inhibit rule: `source`/`target` equality maps and/or Alertmanager-syntax
    /// `source_matchers`/`target_matchers`; each side needs at least one of the two.
    private static func decodeInhibit(_ cursor: Cursor) -> InhibitRule? {
        let keys = ["source", "target", "source_matchers", "target_matchers", "equal"]
        guard let fields = cursor.fields(keys, aliases: alertmanagerInhibitKeys) else {
            return nil
        }
        let source = side(fields, map: "source", list: "source_matchers")
        let target = side(fields, map: "target", list: "target_matchers")
        let equal = fields["equal"]?.sequence()?.compactMap { node -> String? in
            guard let name = node.string() else { return nil }
            if !LabelName.isValid(name) { node.error("invalid label name \"\(name)\"") }
            return name
        } ?? []
        guard let source, let target else { return nil }
        return InhibitRule(source: source, target: target, equal: equal)
    }

    /// The matchers of one side of an inhibit rule, or nil (reported) when neither key is set or
    /// one is invalid.
    private static func side(_ fields: Fields, map: String, list: String) -> [Matcher]? {
        guard fields.has(map) || fields.has(list) else {
            fields.owner.error("missing required key \"\(map)\" (or \"\(list)\")")
            return nil
        }
        var matchers: [Matcher] = []
        if let node = fields[map] {
            guard let equalities = node.equalityMatchers() else { return nil }
            matchers += equalities
        }
        if let node = fields[list] {
            guard let items = node.sequence() else { return nil }
            let parsed = items.compactMap { $0.matcher() }
            guard parsed.count == items.count else { return nil }
            matchers += parsed
        }
        return matchers
    }
}

/// A name used somewhere that must be defined elsewhere (a channel or a check).
struct Reference {
    enum Kind { case channel, check }
    let kind: Kind
    let name: String
    let at: Cursor
}
