import Collect
import Curl
import Foundation

struct Measurement {
    var wall: Double
    var cpu: Double
    var probes: Int
    var failures: Int
}

func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

/// Runs `count` jobs with at most `width` in flight; returns how many failed.
func runBounded(_ count: Int, width: Int, _ job: @escaping @Sendable (Int) async -> Bool) async -> Int {
    await withTaskGroup(of: Bool.self) { group in
        var next = 0, failures = 0
        while next < min(width, count) { let i = next; group.addTask { await job(i) }; next += 1 }
        for await ok in group {
            if !ok { failures += 1 }
            if next < count { let i = next; group.addTask { await job(i) }; next += 1 }
        }
        return failures
    }
}

/// `width`: probes in flight at once (100 by default; 4 as in the reference figure).
func measureLookout(_ specs: [ProbeSpec], width: Int = 100, loop: CurlLoop) async throws -> Measurement {
    let cpu = processCPUSeconds(), start = ContinuousClock.now
    let failures = await runBounded(specs.count, width: width) { index in
        (try? await Collector.probeOnce(specs[index], loop: loop))?.success ?? false
    }
    let wall = ContinuousClock.now - start
    return Measurement(wall: seconds(wall), cpu: processCPUSeconds() - cpu, probes: specs.count, failures: failures)
}

/// `width`: probes requested at once (100 as for Lookout; 4 is the setting of the reference figure
/// in ../shared/bench/README.md).
func measureBlackbox(count: Int, width: Int = 100, url: @escaping @Sendable (Int) -> String, blackbox: Child, port: Int,
                     loop: CurlLoop) async throws -> Measurement {
    let cpu = blackbox.cpuSeconds, start = ContinuousClock.now
    let failures = await runBounded(count, width: width) { index in
        let target = url(index).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        var request = HTTPRequest(url: "http://127.0.0.1:\(port)/probe?module=http_2xx&target=\(target)")
        request.timeout = .seconds(10)
        guard let response = try? await loop.perform(request) else { return false }
        return String(decoding: response.body, as: UTF8.self).contains("probe_success 1")
    }
    let wall = ContinuousClock.now - start
    return Measurement(wall: seconds(wall), cpu: blackbox.cpuSeconds - cpu, probes: count, failures: failures)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func report(_ name: String, _ round: Int, _ m: Measurement) {
    let perProbe = m.cpu / Double(m.probes) * 1e6
    print("| \(name) | \(round) | \(String(format: "%.3f s", m.wall)) | \(String(format: "%.3f s", m.cpu)) | "
        + "\(String(format: "%.0f µs", perProbe)) | \(m.failures) |")
}

func waitForPort(_ port: Int, loop: CurlLoop) async throws {
    for _ in 0..<100 {
        if (try? await loop.connect(host: "127.0.0.1", port: port, timeout: .seconds(1))) != nil { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw CurlError(kind: .connectionRefused, code: 7, message: "port \(port) never opened")
}

/// Plain HTTPS GETs through the loop, each on a new connection, with or without reading the
/// chain's expiry, to show what a probe adds on top of libcurl's handshake.
func measureRawHTTPS(count: Int, port: Int, caFile: String, certificates: Bool, loop: CurlLoop) async -> Measurement {
    let cpu = processCPUSeconds(), start = ContinuousClock.now
    let failures = await runBounded(count, width: 100) { index in
        var request = HTTPRequest(url: "https://127.0.0.1:\(port)/raw?i=\(index)")
        request.caFile = caFile
        request.freshConnection = true
        request.captureCertificates = certificates
        return (try? await loop.perform(request))?.status == 200
    }
    let wall = ContinuousClock.now - start
    return Measurement(wall: seconds(wall), cpu: processCPUSeconds() - cpu, probes: count, failures: failures)
}
