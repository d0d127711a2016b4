import Foundation

/// A child process (nginx, blackbox_exporter) killed when the benchmark ends.
final class Child {
    let process = Process()

    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        process.waitUntilExit()
    }

    /// Resident memory now and at its peak, in MB (VmRSS and VmHWM of /proc/PID/status).
    var memory: (rss: Double, peak: Double) { residentMemory(of: "\(pid)") }

    /// User + system CPU seconds the process has used so far (from /proc/PID/stat).
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Fields after the command: state is [0], utime [11], stime [12], in clock ticks.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// Writes configs and starts nginx (HTTP and HTTPS) in a private prefix.
func startNginx(in directory: String, httpPort: Int, httpsPort: Int, certificate: String, key: String) throws -> Child {
    let config = """
        daemon off;
        master_process off;
        worker_processes 1;
        error_log \(directory)/nginx-error.log;
        pid \(directory)/nginx.pid;
        events { worker_connections 4096; }
        http {
            access_log off;
            client_body_temp_path \(directory)/body;
            proxy_temp_path \(directory)/proxy;
            fastcgi_temp_path \(directory)/fastcgi;
            uwsgi_temp_path \(directory)/uwsgi;
            scgi_temp_path \(directory)/scgi;
            keepalive_requests 100000;
            server {
                listen 127.0.0.1:\(httpPort);
                listen 127.0.0.1:\(httpsPort) ssl;
                # nginx 1.22 defaults to TLS 1.0-1.2; public sites negotiate 1.3.
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_certificate \(certificate);
                ssl_certificate_key \(key);
                location / { default_type application/json; return 200 '{"status":"healthy","checks":{"database":"ok"}}'; }
            }
        }
        """
    try config.write(toFile: "\(directory)/nginx.conf", atomically: true, encoding: .utf8)
    return try Child("/usr/sbin/nginx", ["-p", directory, "-c", "\(directory)/nginx.conf"])
}

func startBlackbox(in directory: String, port: Int, caFile: String) throws -> Child {
    let config = """
        modules:
          http_2xx:
            prober: http
            timeout: 5s
            http:
              preferred_ip_protocol: ip4
              tls_config:
                ca_file: \(caFile)
        """
    try config.write(toFile: "\(directory)/blackbox.yml", atomically: true, encoding: .utf8)
    return try Child("/usr/bin/prometheus-blackbox-exporter",
                     ["--config.file=\(directory)/blackbox.yml", "--web.listen-address=127.0.0.1:\(port)"])
}

/// The server key: `rsa:2048` or `ec` (P-256, as most public sites' leaf certificates now are).
func makeCertificate(in directory: String, keyType: String) throws -> (certificate: String, key: String) {
    let certificate = "\(directory)/cert.pem", key = "\(directory)/key.pem"
    let openssl = Process()
    openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    let newKey = keyType == "ec" ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] : ["-newkey", "rsa:2048"]
    openssl.arguments = ["req", "-x509"] + newKey + ["-nodes", "-keyout", key, "-out", certificate,
                         "-days", "30", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
    openssl.standardError = FileHandle.nullDevice
    try openssl.run()
    openssl.waitUntilExit()
    return (certificate, key)
}

/// VmRSS and VmHWM of /proc/`process`/status ("self" for this process), in MB.
func residentMemory(of process: String) -> (rss: Double, peak: Double) {
    guard let status = try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Double {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
              let kilobytes = line.split(separator: " ").compactMap({ Double($0) }).first else { return 0 }
        return kilobytes / 1024
    }
    return (field("VmRSS"), field("VmHWM"))
}
