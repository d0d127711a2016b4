import Hummingbird
import Logging

/// The HTTP server: Prometheus-compatible API, Alertmanager-compatible silences, `/metrics`,
/// health, readiness and reload endpoints, and the status page.
///
/// `run()` serves until its task is cancelled or a surrounding `ServiceGroup` shuts down
/// gracefully (in-flight requests finish first); it throws when the address cannot be bound.
public struct APIServer: Sendable {
    /// A `listen` value that is not `host:port`.
    public struct ListenAddressError: Error, CustomStringConvertible {
        /// The value as configured.
        public let address: String
        public var description: String { "invalid listen address \"\(address)\": expected host:port" }
    }

    private let dependencies: ServerDependencies
    private let host: String
    private let port: Int
    private let auth: APIAuth
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    /// Creates a server for `listen` (`host:port`, `[v6]:port`, or `:port` for every interface;
    /// port 0 picks a free port, reported to `onListening` once bound).
    public init(dependencies: ServerDependencies, listen: String = "127.0.0.1:9464", auth: APIAuth = .none,
                logger: Logger, onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) throws {
        guard let (host, port) = APIServer.parseListen(listen) else { throw ListenAddressError(address: listen) }
        self.dependencies = dependencies
        self.host = host
        self.port = port
        self.auth = auth
        self.logger = logger
        self.onListening = onListening
    }

    /// Serves requests until cancelled or shut down gracefully.
    public func run() async throws {
        let router = Routes(dependencies: dependencies).router(auth: auth)
        let onListening = self.onListening
        let logger = self.logger
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("HTTP server listening", metadata: ["listen.port": "\(port)"])
                await onListening(port)
            },
            logger: logger
        )
        try await app.run()
    }

    static func parseListen(_ listen: String) -> (String, Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        return (host, port)
    }
}
