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
        guard let cursor, let fields = cursor.fields(keys) else { return notify }
        // Channel names are mapping keys, so a duplicate is a duplicate YAML key, reported by the walk.
        for entry in fields["channels"]?.entries() ?? [] {
            if let channel = ChannelDecoder.decode(name: entry.key, entry.value) { notify.channels.append(channel) }
        }
        for route in fields["routes"]?.sequence() ?? [] {
            if let decoded = decodeRoute(route, references: &references) { notify.routes.append(decoded) }
        }
        if let list = fields["default_channels"]?.sequence() {
            notify.defaultChannels = channelList(list, references: &references)
        }
        if let list = fields["group_by"]?.sequence() {
            notify.groupBy = list.compactMap { node in
                guard let name = node.string() else { return nil }
                if name != "..." && !LabelName.isValid(name) { node.error("invalid label name \"\(name)\"") }
                return name
            }
        }
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

    private static func decodeRoute(_ cursor: Cursor, references: inout [Reference]) -> RouteConfig? {
        guard let fields = cursor.fields(["match", "matchers", "channels", "continue"]) else { return nil }
        var matchers = fields["match"]?.equalityMatchers() ?? []
        matchers += fields["matchers"]?.sequence()?.compactMap { $0.matcher() } ?? []
        var channels: [String] = []
        if let node = fields.required("channels"), let list = node.sequence() {
            channels = channelList(list, references: &references)
            if list.isEmpty { node.error("needs at least one channel") }
        }
        return RouteConfig(matchers: matchers, channels: channels,
                           continueMatching: fields.bool("continue") ?? false, position: cursor.position)
    }

    private static func decodeInhibit(_ cursor: Cursor) -> InhibitRule? {
        guard let fields = cursor.fields(["source", "target", "equal"]) else { return nil }
        let source = fields.required("source")?.equalityMatchers()
        let target = fields.required("target")?.equalityMatchers()
        let equal = fields["equal"]?.sequence()?.compactMap { node -> String? in
            guard let name = node.string() else { return nil }
            if !LabelName.isValid(name) { node.error("invalid label name \"\(name)\"") }
            return name
        } ?? []
        guard let source, let target else { return nil }
        return InhibitRule(source: source, target: target, equal: equal)
    }
}

/// A name used somewhere that must be defined elsewhere (a channel or a check).
struct Reference {
    enum Kind { case channel, check }
    let kind: Kind
    let name: String
    let at: Cursor
}
