/// Decoding of `reports:`.
enum ReportDecoder {
    static func decode(_ cursor: Cursor, references: inout [Reference]) -> ReportConfig? {
        guard let fields = cursor.fields(["name", "at", "channels", "include"]) else { return nil }
        let name = fields.requiredString("name")
        let time = fields.required("at").flatMap(clock)
        var channels: [String] = []
        if let node = fields.required("channels"), let list = node.sequence() {
            channels = NotifyDecoder.channelList(list, references: &references)
            if list.isEmpty { node.error("needs at least one channel") }
        }
        var include = ReportConfig.Section.allCases
        if let list = fields["include"]?.sequence() {
            include = list.compactMap { node in
                node.choice(ReportConfig.Section.allCases.map(\.rawValue)).flatMap(ReportConfig.Section.init)
            }
        }
        guard let name, let time else { return nil }
        return ReportConfig(name: name, hour: time.hour, minute: time.minute, channels: channels,
                            include: include, position: cursor.position)
    }

    /// `HH:MM`, 24-hour.
    private static func clock(_ cursor: Cursor) -> (hour: Int, minute: Int)? {
        guard let text = cursor.text(expecting: "a time") else { return nil }
        let parts = text.trimmingSpaces.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, parts[1].count == 2, (1...2).contains(parts[0].count),
           let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute) {
            return (hour, minute)
        }
        cursor.error("invalid time \"\(text)\" (want HH:MM, 24-hour, quoted: \"08:00\")")
        return nil
    }
}

extension ReportDecoder {
    /// PagerDuty is for incidents: a daily digest there would page someone every morning, so a
    /// report naming a PagerDuty channel is a configuration error at that list item.
    static func rejectPagerDuty(_ nodes: [Cursor], channels: [ChannelConfig]) {
        let pagers = Set(channels.compactMap { channel -> String? in
            if case .pagerduty = channel.kind { return channel.name }
            return nil
        })
        guard !pagers.isEmpty else { return }
        for report in nodes {
            guard let list = report.node["channels"], case .sequence(let items) = list else { continue }
            let listCursor = report.child("channels", list)
            for (index, item) in items.enumerated() {
                guard let name = item.scalar?.string, pagers.contains(name) else { continue }
                listCursor.element(index, item).error(
                    "channel \"\(name)\" is a PagerDuty channel; reports go to Slack, email, webhook or log channels")
            }
        }
    }
}
