extension Fields {
    /// `bearer_token` / `bearer_token_file` / `basic_auth` of an outbound endpoint: at most one of
    /// the three, each mistake reported at its key; nil when none is given or it is invalid.
    func clientAuth() -> ClientAuth? {
        guard exclusive(["bearer_token", "bearer_token_file", "basic_auth"]) else { return nil }
        if let token = secret("bearer_token") { return .bearerToken(token) }
        guard let basic = self["basic_auth"], let inner = basic.fields(["username", "password", "password_file"]) else { return nil }
        let username = inner.requiredString("username")
        guard let username, let password = inner.secret("password", required: true) else { return nil }
        return .basic(username: username, password: password)
    }
}
