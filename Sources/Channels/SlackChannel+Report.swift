import Notify

extension SlackChannel {
    /// A report as one blue attachment: a header with the title, one section per report section
    /// (bulleted lines, escaped, within Slack's 3,000 characters), and the status page link.
    func renderReport(_ r: ReportNotification) throws -> OutboundHTTPRequest {
        var blocks = [Block(type: "section", text: Text(text: "*\(Self.escape(r.title))*\n\(Self.escape(ReportText.subtitle(r)))"))]
        for section in ReportText.sections(r) {
            let body = section.lines.map { "• " + Self.escape($0) }.joined(separator: "\n")
            blocks.append(Block(type: "section", text: Text(text: Formats.truncate("*\(Self.escape(section.heading))*\n" + body,
                                                                                   Self.maxSectionText))))
        }
        if !r.externalURL.isEmpty, let link = Self.safeLink(r.externalURL) {
            blocks.append(Block(type: "context", elements: [Text(text: "<\(link)|Status page>")]))
        }
        let text = Self.escape(Formats.truncate(ReportText.plain(r), 3000))
        let payload = Payload(text: Self.escape(Formats.truncate(r.title, 3000)), channel: spec.channel, username: spec.username,
                              attachments: [Attachment(color: "#439FE0", fallback: text, blocks: blocks)])
        return OutboundHTTPRequest(url: spec.webhookURL, headers: [("Content-Type", "application/json")],
                                   body: try Formats.json(payload))
    }
}
