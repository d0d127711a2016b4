import ServiceLifecycle

/// Adapts a stage's cancellable `run()` loop to a swift-service-lifecycle `Service`: graceful
/// shutdown cancels the loop, which returns once in-flight work is finished.
struct StageService: Service, CustomStringConvertible {
    let description: String
    let body: @Sendable () async -> Void

    init(_ name: String, _ body: @escaping @Sendable () async -> Void) {
        self.description = name
        self.body = body
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await body()
        }
    }
}
