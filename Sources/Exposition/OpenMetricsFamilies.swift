/// The OpenMetrics rules about metric families, as a small state machine fed one line at a time:
/// metadata comes before a family's samples and at most once, families are not interleaved,
/// and sample names carry the suffixes their family's type allows.
///
/// Methods return an error message, or nil when the line is acceptable.
struct OpenMetricsFamilies {
    private var current: String?
    /// The family the last line belonged to.
    var currentFamily: String? { current }
    private(set) var currentType: MetricType = .unknown
    private var lastAccepted: String?
    private var sawSamples = false
    private var sawMetadata: Set<String> = []   // "TYPE", "HELP", "UNIT" for the current family
    private var finished: Set<String> = []

    /// A `# HELP`, `# TYPE` or `# UNIT` line for `family`.
    mutating func metadata(_ keyword: String, family: String) -> String? {
        if family != current {
            if let error = start(family) { return error }
        } else if sawSamples {
            return "\(keyword) line for \(family) after its samples"
        }
        if !sawMetadata.insert(keyword).inserted { return "second \(keyword) line for \(family)" }
        return nil
    }

    mutating func type(_ type: MetricType) {
        currentType = type
        lastAccepted = nil
    }

    /// Checks the unit against the family name, which must end in `_<unit>`.
    mutating func unit(_ unit: String) -> String? {
        guard let current else { return nil }
        if !unit.isEmpty, !current.hasSuffix("_" + unit) {
            return "unit \(unit) is not a suffix of metric family \(current)"
        }
        return nil
    }

    /// A sample named `name`: attaches it to the current family or starts an implicit one.
    mutating func sample(_ name: String) -> String? {
        if name == lastAccepted { return nil }
        if let current {
            if belongs(name, to: current, currentType) {
                sawSamples = true
                lastAccepted = name
                return nil
            }
            if name == current || StringSuffix.strip(name, family: current) != nil {
                return "sample \(name) does not fit \(currentType.rawValue) family \(current)"
                    + " (expected \(allowed(current, currentType)))"
            }
        }
        if let error = start(name) { return error }
        currentType = .unknown
        sawSamples = true
        lastAccepted = name
        return nil
    }

    private mutating func start(_ family: String) -> String? {
        if let current { finished.insert(current) }
        guard !finished.contains(family) else { return "metric family \(family) appears twice; families must not be interleaved" }
        current = family
        currentType = .unknown
        lastAccepted = nil
        sawSamples = false
        sawMetadata.removeAll(keepingCapacity: true)
        return nil
    }

    private func belongs(_ name: String, to family: String, _ type: MetricType) -> Bool {
        if name == family { return type == .gauge || type == .unknown || type == .summary || type == .stateset }
        guard let suffix = StringSuffix.strip(name, family: family) else { return false }
        return StringSuffix.allowed(for: type).contains(suffix)
    }

    private func allowed(_ family: String, _ type: MetricType) -> String {
        var names = StringSuffix.allowed(for: type).map { family + $0 }
        if type == .gauge || type == .unknown || type == .summary || type == .stateset { names.insert(family, at: 0) }
        return names.joined(separator: ", ")
    }
}

/// The sample-name suffixes of each OpenMetrics type.
enum StringSuffix {
    static let all = ["_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"]

    static func allowed(for type: MetricType) -> [String] {
        switch type {
        case .counter: return ["_total", "_created"]
        case .histogram: return ["_bucket", "_count", "_sum", "_created"]
        case .gaugehistogram: return ["_bucket", "_gcount", "_gsum"]
        case .summary: return ["_count", "_sum", "_created"]
        case .info: return ["_info"]
        case .gauge, .stateset, .unknown: return []
        }
    }

    /// The known suffix `name` has after `family`, if `name` is `family` plus one.
    static func strip(_ name: String, family: String) -> String? {
        guard name.utf8.count > family.utf8.count, name.hasPrefix(family) else { return nil }
        let suffix = String(name.utf8.dropFirst(family.utf8.count))!
        return all.contains(suffix) ? suffix : nil
    }
}
