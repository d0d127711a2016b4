// ProbeBench: CPU and wall time of Lookout's probes against local nginx, next to
// blackbox_exporter probing the same endpoints in the same run.
//   swift run -c release ProbeBench [rounds]
import Collect
import Curl
import Foundation

let rounds = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 3
let httpPort = 18_480, httpsPort = 18_443, blackboxPort = 19_415
let directory = NSTemporaryDirectory() + "probebench-\(getpid())"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }

let (certificate, key) = try makeCertificate(in: directory)
let nginx = try startNginx(in: directory, httpPort: httpPort, httpsPort: httpsPort, certificate: certificate, key: key)
defer { nginx.stop() }
let blackbox = try startBlackbox(in: directory, port: blackboxPort, caFile: certificate)
defer { blackbox.stop() }
let loop = try CurlLoop()
try await waitForPort(httpPort, loop: loop)
try await waitForPort(blackboxPort, loop: loop)

func httpSpecs(_ count: Int) -> [ProbeSpec] {
    (0..<count).map { index in
        var spec = ProbeSpec(name: "check-\(index)", target: .http(url: "http://127.0.0.1:\(httpPort)/health?i=\(index)"))
        spec.expect.json = [JSONExpectation(path: "checks.database", value: .string("ok"))]
        return spec
    }
}

func httpsSpecs(_ count: Int) -> [ProbeSpec] {
    (0..<count).map { index in
        var spec = ProbeSpec(name: "tls-\(index)", target: .http(url: "https://127.0.0.1:\(httpsPort)/health?i=\(index)"))
        spec.caFile = certificate
        spec.tlsMinDays = 14
        return spec
    }
}

print("ProbeBench: \(rounds) rounds each; nginx 1.22 on loopback; 100 probes in flight; CPU = user+sys")
print("| case | round | wall | CPU | CPU per probe | failures |")
print("| --- | --- | --- | --- | --- | --- |")
for round in 1...rounds {
    let http = try await measureLookout(httpSpecs(1000), loop: loop)
    report("Lookout, 1,000 HTTP checks", round, http)
    let bbHTTP = try await measureBlackbox(count: 1000, url: { "http://127.0.0.1:\(httpPort)/health?i=\($0)" },
                                           blackbox: blackbox, port: blackboxPort, loop: loop)
    report("blackbox_exporter, 1,000 HTTP probes", round, bbHTTP)
    let https = try await measureLookout(httpsSpecs(200), loop: loop)
    report("Lookout, 200 HTTPS checks (new handshake each)", round, https)
    let bbHTTPS = try await measureBlackbox(count: 200, url: { "https://127.0.0.1:\(httpsPort)/health?i=\($0)" },
                                            blackbox: blackbox, port: blackboxPort, loop: loop)
    report("blackbox_exporter, 200 HTTPS probes", round, bbHTTPS)
    for certificates in [false, true] {
        let raw = await measureRawHTTPS(count: 200, port: httpsPort, caFile: certificate, certificates: certificates, loop: loop)
        report("Curl only, 200 HTTPS GETs, new handshake each, CERTINFO \(certificates ? "on" : "off")", round, raw)
    }
}
print("(blackbox CPU is the exporter process only; the client driving it is not counted.)")
