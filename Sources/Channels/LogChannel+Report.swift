import Logging
import Notify

extension LogChannel {
    /// One log line per report line, with the report and section as metadata.
    func renderReport(_ r: ReportNotification) -> [Logger.Metadata] {
        var out: [Logger.Metadata] = [["channel": .string(name), "report": .string(r.name), "day": .string(r.day),
                                       "line": .string(r.title)]]
        for section in ReportText.sections(r) {
            for line in section.lines {
                out.append(["channel": .string(name), "report": .string(r.name), "day": .string(r.day),
                            "section": .string(section.key), "line": .string(line)])
            }
        }
        return out
    }
}
