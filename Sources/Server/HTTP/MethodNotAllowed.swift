import Hummingbird
import Synchronization

/// The methods each route path answers, filled while the routes are registered and read when a
/// request matches no route.
final class AllowedMethods: Sendable {
    private let routes = Mutex<[(segments: [Substring], methods: [HTTPRequest.Method])]>([])

    /// Notes that `path` (segments in braces match any one segment) answers `method`.
    func add(_ path: String, _ method: HTTPRequest.Method) {
        let segments = path.split(separator: "/")
        routes.withLock { routes in
            if let index = routes.firstIndex(where: { $0.segments == segments }) {
                if !routes[index].methods.contains(method) { routes[index].methods.append(method) }
            } else {
                routes.append((segments, [method]))
            }
        }
    }

    /// The methods registered for the first route matching `path`, or nil if no route does.
    func methods(for path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/")
        return routes.withLock { routes in
            routes.first { route in
                route.segments.count == segments.count
                    && zip(route.segments, segments).allSatisfy { pattern, segment in
                        pattern == segment || (pattern.hasPrefix("{") && pattern.hasSuffix("}"))
                    }
            }?.methods
        }
    }
}

/// Answers a request whose path has routes, but none for its method, with 405 and `Allow`, as
/// Prometheus does, instead of 404.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowed: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let methods = allowed.methods(for: request.uri.path) else { throw error }
            var reply = APIReply.text(405, "Method Not Allowed\n")
            reply.headers = [("Allow", methods.map(\.rawValue).joined(separator: ", "))]
            return reply.response
        }
    }
}

/// Registers handlers on a router and records their methods in `allowed`.
struct RecordingRouter {
    let router: Router<BasicRequestContext>
    let allowed: AllowedMethods

    /// Registers `handler` for `path` under each of `methods`.
    func on(_ path: String, _ methods: HTTPRequest.Method...,
            handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response) {
        for method in methods {
            allowed.add(path, method)
            router.on(RouterPath(path), method: method, use: handler)
        }
    }
}
