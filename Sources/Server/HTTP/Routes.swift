import Hummingbird

/// Maps paths and methods to the handlers.
struct Routes: Sendable {
    let dependencies: ServerDependencies

    /// Form bodies above this size are refused with 413.
    static let maxBodyBytes = 1 << 20

    func router(auth: APIAuth) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let allowed = AllowedMethods()
        router.middlewares.add(SecurityHeadersMiddleware())
        router.middlewares.add(AuthMiddleware(auth: auth))
        router.middlewares.add(MethodNotAllowedMiddleware(allowed: allowed))
        let routes = RecordingRouter(router: router, allowed: allowed)
        addPrometheusRoutes(routes)
        addSilenceRoutes(routes)
        addLifecycleRoutes(routes)
        addPageRoutes(routes)
        return router
    }

    private func addPrometheusRoutes(_ router: RecordingRouter) {
        let api = PrometheusAPI(deps: dependencies)
        let formRoutes: [(String, @Sendable (FormValues) async -> APIReply)] = [
            ("/api/v1/query", api.query), ("/api/v1/query_range", api.queryRange),
            ("/api/v1/series", api.series), ("/api/v1/labels", api.labelNames),
        ]
        for (path, handler) in formRoutes {
            router.on(path, .get, .post) { request, _ in await Routes.withForm(request, handler).response }
        }
        router.on("/api/v1/label/{name}/values", .get, .post) { request, context in
            let name = (try? FormValues.decode(Substring(context.parameters.get("name") ?? ""), plusIsSpace: false)) ?? ""
            return await Routes.withForm(request) { await api.labelValues(name, $0) }.response
        }
        router.on("/api/v1/alerts", .get) { _, _ in await api.alerts().response }
        // What Grafana's Prometheus data source asks for besides queries; answered as an
        // empty Prometheus 2.42 would, so feature detection picks the 2.42 API.
        router.on("/api/v1/status/buildinfo", .get) { _, _ in APIReply.success { PrometheusAPI.buildInfo(&$0) }.response }
        router.on("/api/v1/metadata", .get) { _, _ in APIReply.success { $0.raw("{}") }.response }
        router.on("/api/v1/query_exemplars", .get, .post) { _, _ in APIReply.success { $0.raw("[]") }.response }
        router.on("/api/v1/rules", .get) { request, _ in await Routes.withForm(request, api.rules).response }
        router.on("/api/v1/targets", .get) { request, _ in await Routes.withForm(request, api.targets).response }
    }

    private func addSilenceRoutes(_ router: RecordingRouter) {
        let silences = SilencesAPI(deps: dependencies)
        router.on("/api/v2/silences", .get) { request, _ in await Routes.withForm(request, silences.list).response }
        router.on("/api/v2/silences", .post) { request, _ in
            var request = request
            guard let body = try? await request.collectBody(upTo: Routes.maxBodyBytes) else {
                return APIReply.json(413, "\"request body too large\"").response
            }
            return await silences.create(Array(buffer: body)).response
        }
        router.on("/api/v2/silence/{id}", .get) { _, context in
            await silences.get(context.parameters.get("id") ?? "").response
        }
        router.on("/api/v2/silence/{id}", .delete) { _, context in
            await silences.delete(context.parameters.get("id") ?? "").response
        }
    }

    private func addLifecycleRoutes(_ router: RecordingRouter) {
        let deps = dependencies
        router.on("/-/healthy", .get, .head) { _, _ in APIReply.text(200, "Lookout is Healthy.\n").response }
        router.on("/-/ready", .get, .head) { _, _ in
            await deps.isReady()
                ? APIReply.text(200, "Lookout is Ready.\n").response
                : APIReply.text(503, "Service Unavailable\n").response
        }
        router.on("/-/reload", .post, .put) { _, _ in
            do {
                try await deps.reload()
                return APIReply.text(200, "").response
            } catch {
                return APIReply.text(500, "failed to reload config: \(error)\n").response
            }
        }
        // Not recorded: GET is not a method /-/reload answers, only one it explains.
        router.router.get("/-/reload") { _, _ in
            var reply = APIReply.text(405, "Only POST or PUT requests allowed\n")
            reply.headers = [("Allow", "POST, PUT")]
            return reply.response
        }
        router.on("/metrics", .get) { _, _ in
            var text = await deps.metrics()
            deps.queryThreads.writeMetrics(to: &text)
            ProcessMetrics.write(to: &text)
            return APIReply(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: text.text).response
        }
    }

    private func addPageRoutes(_ router: RecordingRouter) {
        let deps = dependencies
        router.on("/", .get) { _, _ in
            APIReply.html(200, StatusPage.render(await deps.status())).response
        }
        // Each alert's generatorURL (`/graph?g0.expr=…&g0.tab=1`, Prometheus' form) leads here.
        router.on("/graph", .get) { request, _ in
            var form = FormValues()
            if let query = request.uri.query { form = (try? FormValues(urlEncoded: Substring(query))) ?? FormValues() }
            let expression = form["g0.expr"] ?? form["expr"] ?? ""
            let now = deps.now()
            var result: APIQueryResult?
            var failure: String?
            if expression.contains(where: { !$0.isWhitespace }) {
                // Under a deadline as /api/v1/query is: the engine evaluates synchronously, and only
                // cancellation stops an expensive expression from holding a thread for minutes.
                let timeout = deps.expressionPageTimeout
                do {
                    result = try await Deadline.run(timeout, on: deps.queryThreads) { try await deps.instantQuery(expression, now, timeout) }
                } catch let error as APIError {
                    failure = error.message
                } catch {
                    failure = "\(error)"
                }
            } else {
                failure = "no expression: use /graph?g0.expr=EXPRESSION"
            }
            return APIReply.html(failure == nil ? 200 : 400,
                                 StatusPage.renderExpression(expression, result: result, error: failure, now: now)).response
        }
        router.on("/checks/{name}", .get) { _, context in
            let name = (try? FormValues.decode(Substring(context.parameters.get("name") ?? ""), plusIsSpace: false)) ?? ""
            let snapshot = await deps.status()
            guard let check = snapshot.checks.first(where: { $0.name == name }) else {
                return APIReply.html(404, StatusPage.notFound(name)).response
            }
            return APIReply.html(200, StatusPage.renderCheck(check, snapshot: snapshot)).response
        }
    }

    /// Collects the parameters of the URL and, for a form POST, the body; malformed input is a
    /// `bad_data` error as in Prometheus.
    static func withForm(_ request: Request, _ handler: (FormValues) async -> APIReply) async -> APIReply {
        do {
            var form = FormValues()
            if request.method == .post,
               request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
                var request = request
                let body = try await request.collectBody(upTo: maxBodyBytes)
                form = try FormValues(urlEncoded: Substring(String(buffer: body)))
            }
            if let query = request.uri.query { form.append(try FormValues(urlEncoded: Substring(query))) }
            return await handler(form)
        } catch let error as APIError {
            return .failure(error)
        } catch {
            return .failure(APIError(.badData, "error parsing form values: \(error)"))
        }
    }
}
