import Model
import Query

extension RuleEnvironment {
    /// A `QueryFunc` over the PromQL engine, as Prometheus' `EngineQueryFunc`: a vector as it is,
    /// a scalar as one element without labels, anything else an error.
    public static func query(_ engine: Engine) -> QueryFunc {
        return { expr, ts in
            switch try engine.instant(expr, at: ts) {
            case .vector(let elements):
                return elements.map { QuerySample(labels: $0.labels, value: $0.sample.value) }
            case .scalar(let sample):
                return [QuerySample(labels: Labels(), value: sample.value)]
            default:
                throw RuleEvaluationError(description: "rule result is not a vector or scalar")
            }
        }
    }
}
