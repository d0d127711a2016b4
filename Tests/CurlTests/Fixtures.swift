import Curl
import Glibc
import TestSupport

/// One loop and one plain HTTP server shared by the suites: both are thread-safe.
enum Fixtures {
    static let loop: Result<CurlLoop, any Error> = Result { try CurlLoop() }
    static let server = Task { try await ScriptServer.launch(script: "loopback_http.py") }

    static func http() async throws -> ScriptServer { try await server.value }

    typealias TLS = LoopbackTLSServer

    /// An HTTPS server whose self-signed certificate expires in two days, started once per run.
    static let tlsTask = Task { try await LoopbackTLSServer.launch(days: 2) }

    static func tls() async throws -> TLS { try await tlsTask.value }

    /// Starts the shared server and loop before a test measures time: their first use blocks
    /// in a one-time initialiser while the Python process starts.
    static func warmUp() async throws {
        _ = try await http()
        _ = try loop.get()
    }

    static func get(_ path: String, configure: (inout HTTPRequest) -> Void = { _ in }) async throws -> HTTPResponse {
        var request = HTTPRequest(url: try await http().url(path))
        configure(&request)
        return try await loop.get().perform(request)
    }

    /// A loopback port nothing listens on: bound, read, then closed.
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                _ = bind(fd, raw, length)
                _ = getsockname(fd, raw, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Runs `body` and returns the `CurlError` it threw, or nil.
func curlError(_ body: () async throws -> Void) async -> CurlError? {
    do {
        try await body()
        return nil
    } catch let error as CurlError {
        return error
    } catch {
        return nil
    }
}

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
