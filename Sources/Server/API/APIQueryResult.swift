import Model

/// A PromQL result in the four shapes of Prometheus' API (`resultType` scalar, string, vector,
/// matrix). Vector samples carry the evaluation time as their timestamp.
public enum APIQueryResult: Sendable, Equatable {
    case scalar(Sample)
    case string(Timestamp, String)
    case vector([LabeledSample])
    case matrix([Series])

    var resultType: String {
        switch self {
        case .scalar: "scalar"
        case .string: "string"
        case .vector: "vector"
        case .matrix: "matrix"
        }
    }

    /// Writes `{"resultType":...,"result":...}`.
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("resultType", resultType)
        json.key("result")
        switch self {
        case .scalar(let sample):
            json.samplePair(sample)
        case .string(let time, let text):
            json.beginArray()
            json.raw(TimeFormat.unixSeconds(time))
            json.string(text)
            json.endArray()
        case .vector(let samples):
            json.beginArray()
            for item in samples {
                json.beginObject()
                json.key("metric"); json.labels(item.labels)
                json.key("value"); json.samplePair(item.sample)
                json.endObject()
            }
            json.endArray()
        case .matrix(let series):
            json.beginArray()
            for item in series {
                json.beginObject()
                json.key("metric"); json.labels(item.labels)
                json.key("values")
                json.beginArray()
                for sample in item.samples { json.samplePair(sample) }
                json.endArray()
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
    }
}
