import Hummingbird

/// Headers on every response: the page loads nothing from elsewhere and cannot be framed.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }

    private static var referrerPolicy: HTTPFields.Element.Name { HTTPFields.Element.Name("Referrer-Policy")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "no-referrer"
        return response
    }
}

/// Refuses requests without valid credentials, except `/-/healthy`.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let auth: APIAuth

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if auth == .none || request.uri.path == "/-/healthy" || auth.accepts(request.headers[.authorization]) {
            return try await next(request, context)
        }
        var response = APIReply.failure(APIError(.unauthorized, "unauthorized")).response
        response.headers[.wwwAuthenticate] = auth.challenge
        return response
    }
}

extension APIReply {
    /// The reply as a Hummingbird response.
    var response: Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        for (name, value) in headers {
            if let field = HTTPFields.Element.Name(name) { fields[field] = value }
        }
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
