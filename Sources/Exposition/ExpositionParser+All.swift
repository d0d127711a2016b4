import Model

extension ExpositionParser {
    /// A parser over UTF-8 text (for tests and tools; scrapes hand in the response bytes).
    public init(_ text: String, format: ExpositionFormat) {
        self.init(Array(text.utf8), format: format)
    }

    /// Every sample of the payload, in order; metadata is skipped.
    /// - Throws: the first `ExpositionError`; nothing is returned for a malformed payload.
    public mutating func parseAll() throws(ExpositionError) -> [(labels: Labels, value: Double, timestamp: Timestamp?)] {
        var samples: [(labels: Labels, value: Double, timestamp: Timestamp?)] = []
        while let sample = try nextSample() { samples.append((sample.labels, sample.value, sample.timestamp)) }
        return samples
    }
}
