/// A function's name and types, as in Prometheus 2.42's `parser/functions.go`. A variadic
/// function may omit its last argument type (`variadic` 1) or repeat it (`variadic` -1).
struct FunctionSignature: Sendable, Hashable {
    let name: String
    let args: [ValueType]
    let variadic: Int
    let returns: ValueType

    static func named(_ name: String) -> FunctionSignature? { table[name] }

    /// Every function the engine knows (for tests that must cover them all).
    static var all: [FunctionSignature] { Array(table.values) }

    private static let table: [String: FunctionSignature] = {
        var all: [FunctionSignature] = []
        func add(_ name: String, _ args: [ValueType], _ returns: ValueType = .vector, variadic: Int = 0) {
            all.append(FunctionSignature(name: name, args: args, variadic: variadic, returns: returns))
        }
        let vectorMath = ["abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn", "deg", "rad",
                          "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh",
                          "absent", "sort", "sort_desc", "timestamp", "histogram_count", "histogram_sum"]
        for name in vectorMath { add(name, [.vector]) }
        let overTime = ["absent_over_time", "avg_over_time", "changes", "count_over_time", "delta", "deriv",
                        "idelta", "increase", "irate", "last_over_time", "max_over_time", "min_over_time",
                        "present_over_time", "rate", "resets", "stddev_over_time", "stdvar_over_time", "sum_over_time"]
        for name in overTime { add(name, [.matrix]) }
        for name in ["day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"] {
            add(name, [.vector], variadic: 1)
        }
        add("clamp", [.vector, .scalar, .scalar])
        add("clamp_max", [.vector, .scalar])
        add("clamp_min", [.vector, .scalar])
        add("histogram_quantile", [.scalar, .vector])
        add("histogram_fraction", [.scalar, .scalar, .vector])
        add("holt_winters", [.matrix, .scalar, .scalar])
        add("label_replace", [.vector, .string, .string, .string, .string])
        add("label_join", [.vector, .string, .string, .string], variadic: -1)
        add("pi", [], .scalar)
        add("predict_linear", [.matrix, .scalar])
        add("quantile_over_time", [.scalar, .matrix])
        add("round", [.vector, .scalar], variadic: 1)
        add("scalar", [.vector], .scalar)
        add("time", [], .scalar)
        add("vector", [.scalar])
        return Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    }()
}
