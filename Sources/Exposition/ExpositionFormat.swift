/// The two text formats a scrape target may answer with.
public enum ExpositionFormat: String, Sendable, Hashable, CaseIterable {
    /// Prometheus text format 0.0.4 (`text/plain; version=0.0.4`), parsed leniently as Prometheus does.
    case prometheusText
    /// OpenMetrics 1.0 text (`application/openmetrics-text`), parsed with its stricter rules.
    case openMetrics

    /// The `Accept` header a scraper sends: OpenMetrics 1.0.0 preferred, then text 0.0.4, then anything.
    public static let acceptHeader =
        "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    /// The format of a response, chosen by its `Content-Type` header (case-insensitive, parameters
    /// ignored). A missing or unknown type falls back to the Prometheus text format, as Prometheus'
    /// `fallback_scrape_protocol` does for most exporters.
    public static func from(contentType: String?) -> ExpositionFormat {
        guard let contentType else { return .prometheusText }
        var mediaType = Substring(contentType)
        if let semicolon = mediaType.firstIndex(of: ";") { mediaType = mediaType[..<semicolon] }
        let trimmed = mediaType.trimmingASCIIWhitespace().lowercased()
        return trimmed == "application/openmetrics-text" ? .openMetrics : .prometheusText
    }
}

extension Substring {
    func trimmingASCIIWhitespace() -> Substring {
        var slice = self
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return slice
    }
}
