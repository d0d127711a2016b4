import Collect
import Config
import Foundation
import Model

/// Maps the validated `checks`, `scrape`, `sql` and `host_metrics` config onto the collector's specs.
enum CollectMapping {
    static func specs(_ config: LookoutConfig) -> CollectSpecs {
        var specs = CollectSpecs()
        specs.probes = config.checks.map(probe)
        specs.scrapes = config.scrape.flatMap(scrapeTargets)
        specs.sqlSources = config.sql.map { source in
            var spec = SQLSourceSpec(name: source.name, database: source.database, query: source.query)
            spec.interval = .milliseconds(source.interval)
            return spec
        }
        if config.hostMetrics {
            var host = HostMetricsSpec(instance: ProcessInfo.processInfo.hostName)
            host.interval = .milliseconds(config.global.scrapeInterval)
            specs.hostMetrics = host
        }
        return specs
    }

    static func probe(_ check: CheckConfig) -> ProbeSpec {
        let target: ProbeSpec.Target
        switch check.target {
        case .http(let url): target = .http(url: url)
        case .tcp(let address): target = .tcp(host: address.host, port: address.port)
        }
        var spec = ProbeSpec(name: check.name, target: target)
        spec.interval = .milliseconds(check.interval)
        spec.timeout = .milliseconds(check.timeout)
        spec.method = check.method
        spec.headers = check.headers.sorted { $0.key < $1.key }.map { ProbeSpec.Header($0.key, $0.value.value) }
        spec.body = check.body
        spec.followRedirects = check.followRedirects
        spec.maxRedirects = check.maxRedirects
        spec.caFile = check.caFile
        spec.insecure = check.insecureSkipVerify
        switch check.ipVersion {
        case .any: spec.ipVersion = .any
        case .ipv4: spec.ipVersion = .v4
        case .ipv6: spec.ipVersion = .v6
        }
        var expect = ProbeExpectation()
        expect.statuses = check.expect.status.map(Set.init)
        expect.maxLatency = check.expect.maxLatency.map { .milliseconds($0) }
        expect.bodyContains = check.expect.bodyContains
        expect.bodyRegex = check.expect.bodyRegex
        expect.json = check.expect.json.map { item in
            let value: Collect.JSONExpectation.Value
            switch item.value {
            case .string(let s): value = .string(s)
            case .number(let n): value = .number(n)
            case .bool(let b): value = .bool(b)
            case .null: value = .null
            }
            return Collect.JSONExpectation(path: item.path, value: value)
        }
        spec.expect = expect
        spec.tlsMinDays = check.tlsMinDays
        return spec
    }

    static func scrapeTargets(_ job: ScrapeConfig) -> [ScrapeTargetSpec] {
        job.targets.map { address in
            let instance = address.description
            let target = ScrapeTarget(job: job.job, instance: instance, labels: job.labels,
                                      honorLabels: job.honorLabels, sampleLimit: job.sampleLimit)
            var spec = ScrapeTargetSpec(target: target, url: "\(job.scheme)://\(instance)\(job.metricsPath)")
            spec.interval = .milliseconds(job.interval)
            spec.timeout = .milliseconds(job.timeout)
            spec.bodySizeLimit = job.bodySizeLimit
            return spec
        }
    }
}
