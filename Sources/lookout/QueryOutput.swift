import Daemon
import Model
import Query

/// Renders query results for the terminal, or in the JSON shape of Prometheus' HTTP API.
enum QueryOutput {
    static func table(_ result: QueryResult) -> String {
        switch result {
        case .scalar(let sample):
            return "scalar\t\(ValueFormat.value(sample.value)) @\(ValueFormat.seconds(sample.timestamp))"
        case .string(let text, let ts):
            return "string\t\(text) @\(ValueFormat.seconds(ts))"
        case .vector(let elements):
            if elements.isEmpty { return "(empty vector)" }
            return elements.map { "\($0.labels)\t\(ValueFormat.value($0.sample.value)) @\(ValueFormat.seconds($0.sample.timestamp))" }
                .joined(separator: "\n")
        case .matrix(let series):
            if series.isEmpty { return "(empty matrix)" }
            return series.map { s in
                "\(s.labels)\n" + s.samples.map { "  \(ValueFormat.value($0.value)) @\(ValueFormat.seconds($0.timestamp))" }.joined(separator: "\n")
            }.joined(separator: "\n")
        }
    }

    static func json(_ result: QueryResult) -> String {
        let (type, body): (String, String)
        switch result {
        case .scalar(let s): (type, body) = ("scalar", pair(s))
        case .string(let text, let ts): (type, body) = ("string", "[\(ValueFormat.seconds(ts)),\(quote(text))]")
        case .vector(let elements):
            type = "vector"
            body = "[" + elements.map { "{\"metric\":\(metric($0.labels)),\"value\":\(pair($0.sample))}" }.joined(separator: ",") + "]"
        case .matrix(let series):
            type = "matrix"
            body = "[" + series.map { s in
                "{\"metric\":\(metric(s.labels)),\"values\":[" + s.samples.map(pair).joined(separator: ",") + "]}"
            }.joined(separator: ",") + "]"
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"\(type)\",\"result\":\(body)}}"
    }

    private static func pair(_ s: Sample) -> String { "[\(ValueFormat.seconds(s.timestamp)),\"\(ValueFormat.value(s.value))\"]" }

    private static func metric(_ labels: Labels) -> String {
        "{" + labels.map { "\(quote($0.name)):\(quote($0.value))" }.joined(separator: ",") + "}"
    }

    static func quote(_ s: String) -> String { LogLine.jsonString(s) }
}
