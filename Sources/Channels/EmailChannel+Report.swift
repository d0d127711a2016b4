import Model
import Notify

extension EmailChannel {
    /// Subject `[REPORT] daily-cost — 2026-11-23`; the text part is the plain report, the HTML part
    /// a heading and a list per section.
    func renderReport(_ r: ReportNotification) throws -> EmailMessage {
        try compose(subject: r.title, idSeed: "report\u{0}" + r.name + "\u{0}" + r.day + "\u{0}" + String(r.generatedAt) + "\u{0}" + r.channel,
                    date: r.generatedAt, text: ReportText.plain(r), html: Self.reportHTML(r))
    }

    static func reportHTML(_ r: ReportNotification) -> String {
        var out = ["<!DOCTYPE html>", "<html><body style=\"font-family:sans-serif\">",
                   "<h2>\(HTMLText.escape(r.title))</h2>", "<p><small>\(HTMLText.escape(ReportText.subtitle(r)))</small></p>"]
        for section in ReportText.sections(r) {
            out.append("<h3>\(HTMLText.escape(section.heading))</h3>")
            out.append("<ul>")
            out += section.lines.map { "<li>\(HTMLText.escape($0))</li>" }
            out.append("</ul>")
        }
        if !r.externalURL.isEmpty { out.append("<p><a href=\"\(HTMLText.escape(r.externalURL))\">Status page</a></p>") }
        out.append("</body></html>")
        return out.joined(separator: "\n")
    }
}
