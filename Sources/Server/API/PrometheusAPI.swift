import Model

/// The query side of Prometheus' HTTP API v1: `query`, `query_range`, `series`, `labels`,
/// `label/NAME/values`, with Prometheus' parameter parsing, limits and error wording.
struct PrometheusAPI: Sendable {
    let deps: ServerDependencies

    /// Prometheus' default `query.timeout`.
    static let defaultTimeout: Duration = .seconds(120)
    /// Prometheus refuses range queries with more points per series than this.
    static let maxPointsPerSeries: Int64 = 11_000

    func query(_ form: FormValues) async -> APIReply {
        do {
            let time = try PromParams.time(form, "time", default: deps.now())
            let timeout = try timeoutParameter(form)
            let expression = try expressionParameter(form)
            // The closure takes the one function it calls: capturing `deps` copied all of ServerDependencies
            // (288 bytes, a retain per field) into its box on every request.
            let instantQuery = deps.instantQuery
            let result = try await evaluate(timeout) { try await instantQuery(expression, time, timeout) }
            return .success { result.write(to: &$0) }
        } catch {
            return .failure(error)
        }
    }

    func queryRange(_ form: FormValues) async -> APIReply {
        do {
            let start = try PromParams.requiredTime(form, "start")
            let end = try PromParams.requiredTime(form, "end")
            guard end >= start else { throw APIError.invalidParameter("end", "end timestamp must not be before start time") }
            let step: Int64
            do { step = try PromParams.duration(form["step"] ?? "") } catch { throw APIError.invalidParameter("step", error.message) }
            guard step > 0 else {
                throw APIError.invalidParameter("step", "zero or negative query resolution step widths are not accepted. Try a positive integer")
            }
            guard (end - start) / step <= PrometheusAPI.maxPointsPerSeries else {
                throw APIError(.badData, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
            }
            let timeout = try timeoutParameter(form)
            let expression = try expressionParameter(form)
            let rangeQuery = deps.rangeQuery   // not all of `deps`, as in `query(_:)`
            let result = try await evaluate(timeout) { try await rangeQuery(expression, start, end, step, timeout) }
            return .success { result.write(to: &$0) }
        } catch {
            return .failure(error)
        }
    }

    func series(_ form: FormValues) async -> APIReply {
        do {
            let selectors = form.all("match[]")
            guard !selectors.isEmpty else { throw APIError(.badData, "no match[] parameter provided") }
            let range = try timeRange(form)
            let matcherSets = try parseSelectors(selectors)
            guard let range else { return .success { $0.raw("[]") } }
            var seen = Set<Labels>()
            for matchers in matcherSets {
                for series in try await storage({ try deps.querier.select(matchers, in: range) }) { seen.insert(series.labels) }
            }
            let sorted = seen.sorted()
            return .success { json in
                json.beginArray()
                for labels in sorted { json.labels(labels) }
                json.endArray()
            }
        } catch {
            return .failure(error)
        }
    }

    func labelNames(_ form: FormValues) async -> APIReply {
        do {
            let range = try timeRange(form)
            let matcherSets = try parseSelectors(form.all("match[]"))
            guard let range else { return .success { $0.raw("[]") } }
            var names = Set<String>()
            for matchers in matcherSets.isEmpty ? [[]] : matcherSets {
                names.formUnion(try await storage { try deps.querier.labelNames(matching: matchers, in: range) })
            }
            return .success { $0.stringArray(names.sorted()) }
        } catch {
            return .failure(error)
        }
    }

    func labelValues(_ name: String, _ form: FormValues) async -> APIReply {
        do {
            guard PromParams.isValidLabelName(name) else { throw APIError(.badData, "invalid label name: \"\(name)\"") }
            let range = try timeRange(form)
            let matcherSets = try parseSelectors(form.all("match[]"))
            guard let range else { return .success { $0.raw("[]") } }
            var values = Set<String>()
            for matchers in matcherSets.isEmpty ? [[]] : matcherSets {
                values.formUnion(try await storage { try deps.querier.labelValues(name, matching: matchers, in: range) })
            }
            return .success { $0.stringArray(values.sorted()) }
        } catch {
            return .failure(error)
        }
    }

    // MARK: Parameters

    private func expressionParameter(_ form: FormValues) throws(APIError) -> String {
        let expression = form["query"] ?? ""
        guard expression.contains(where: { !$0.isWhitespace }) else {
            throw APIError.invalidParameter("query", "1:1: parse error: no expression found in input")
        }
        return expression
    }

    private func timeoutParameter(_ form: FormValues) throws(APIError) -> Duration {
        guard let text = form["timeout"], !text.isEmpty else { return PrometheusAPI.defaultTimeout }
        do {
            let ms = try PromParams.duration(text)
            return ms > 0 ? .milliseconds(ms) : PrometheusAPI.defaultTimeout
        } catch {
            throw APIError.invalidParameter("timeout", error.message)
        }
    }

    /// `start`...`end` of a metadata request; nil when `end` is before `start`, which Prometheus
    /// answers with an empty result rather than an error.
    private func timeRange(_ form: FormValues) throws(APIError) -> ClosedRange<Timestamp>? {
        let start = try PromParams.time(form, "start", default: PromParams.minTime)
        let end = try PromParams.time(form, "end", default: PromParams.maxTime)
        guard end >= start else { return nil }
        return start...end
    }

    /// The `match[]` selectors, with Prometheus 2.42's errors: `invalid parameter "match[]": …`,
    /// and a selector whose every matcher matches the empty string refused as such.
    private func parseSelectors(_ selectors: [String]) throws(APIError) -> [[Matcher]] {
        var sets: [[Matcher]] = []
        for selector in selectors {
            if !selector.contains(where: { !$0.isWhitespace }) {
                throw APIError.invalidParameter("match[]", "1:1: parse error: unexpected end of input")
            }
            do { sets.append(try deps.parseSelector(selector)) } catch {
                let message = "\(error)"
                if message.hasSuffix("no expression found in input") || message.hasSuffix("at least one non-empty matcher") {
                    throw APIError.invalidParameter("match[]", "match[] must contain at least one non-empty matcher")
                }
                throw APIError.invalidParameter("match[]", message)
            }
        }
        return sets
    }

    /// Runs a storage read on the query threads (it blocks on SQLite); its failures are
    /// Prometheus' `internal` errors.
    private func storage<T>(_ body: () throws -> T) async throws(APIError) -> T {
        do {
            return try await withTaskExecutorPreference(deps.queryThreads) { try body() }
        } catch {
            throw APIError(.internal, "\(error)")
        }
    }

    /// Runs a query closure within `timeout` and maps what it throws to Prometheus' error types.
    private func evaluate(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> APIQueryResult) async throws(APIError) -> APIQueryResult {
        do {
            return try await Deadline.run(timeout, on: deps.queryThreads, body)
        } catch let error as APIError {
            throw error
        } catch is CancellationError {
            throw APIError(.canceled, "query was canceled")
        } catch {
            throw APIError(.execution, "\(error)")
        }
    }
}

extension JSONWriter {
    mutating func stringArray(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }
}
