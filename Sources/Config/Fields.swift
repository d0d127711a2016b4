import Foundation

/// The keys of one mapping with a fixed schema. Null values count as absent, so `key:` with
/// nothing after it means "use the default".
struct Fields {
    let owner: Cursor
    let values: [String: Cursor]
    let keyPositions: [String: SourcePosition]

    subscript(key: String) -> Cursor? { values[key] }

    func has(_ key: String) -> Bool { values[key] != nil }

    /// The value of a required key, or a "missing required key" error at the mapping.
    func required(_ key: String) -> Cursor? {
        if let value = values[key] { return value }
        owner.error("missing required key \"\(key)\"")
        return nil
    }

    func string(_ key: String) -> String? { self[key]?.string() }
    func requiredString(_ key: String) -> String? { required(key)?.nonEmptyString() }
    func bool(_ key: String) -> Bool? { self[key]?.bool() }
    func int(_ key: String, in range: ClosedRange<Int>? = nil) -> Int? { self[key]?.int(in: range) }
    func double(_ key: String) -> Double? { self[key]?.double() }
    func duration(_ key: String, positive: Bool = false) -> Int64? { self[key]?.duration(positive: positive) }
    func stringList(_ key: String) -> [String]? { self[key]?.stringList() }
    func labelMap(_ key: String, templates: Bool = false) -> [String: String]? {
        self[key]?.labelMap(validateTemplates: templates, annotations: key == "annotations")
    }

    /// Reports every key of `keys` that is set, when at most one of them may be.
    @discardableResult
    func exclusive(_ keys: [String]) -> Bool {
        let present = keys.filter(has)
        guard present.count > 1 else { return true }
        let names = present.map { "\"\($0)\"" }.joined(separator: " and ")
        owner.error("\(names) are mutually exclusive; set only one", at: keyPositions[present[1]] ?? owner.position)
        return false
    }

    /// A secret from `key`, or read from the file named by `key_file` (trailing newline trimmed).
    func secret(_ key: String, required: Bool = false) -> Secret? {
        let fileKey = key + "_file"
        guard exclusive([key, fileKey]) else { return nil }
        if let cursor = self[key] {
            guard let value = cursor.text() else { return nil }
            if value.isEmpty {
                cursor.error("must not be empty")
                return nil
            }
            return Secret(value)
        }
        if let cursor = self[fileKey] {
            guard let path = cursor.nonEmptyString() else { return nil }
            return SecretFile.read(path, relativeTo: owner.context.directory, at: cursor)
        }
        if required { owner.error("missing required key \"\(key)\" (or \"\(fileKey)\")") }
        return nil
    }

    /// A file path resolved against the config file's directory.
    func path(_ key: String) -> String? {
        guard let text = self[key]?.nonEmptyString() else { return nil }
        return FilePaths.resolve(text, relativeTo: owner.context.directory)
    }

    /// A path that must name a readable regular file now (`ca_file`), as Prometheus checks its
    /// TLS files when it loads a config: a missing CA file is an error at load, not a TLS
    /// failure on every probe or delivery.
    func readableFile(_ key: String) -> String? {
        guard let cursor = self[key], let written = cursor.nonEmptyString() else { return nil }
        let resolved = FilePaths.resolve(written, relativeTo: owner.context.directory)
        if let problem = FilePaths.unreadable(resolved) { cursor.error("cannot read \(written.debugDescription): \(problem)") }
        return resolved
    }
}

enum FilePaths {
    /// Why `path` is not a readable regular file, or nil when it is.
    static func unreadable(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return String(cString: strerror(errno)).lowercased() }
        guard info.st_mode & S_IFMT == S_IFREG else { return "not a regular file" }
        guard access(path, R_OK) == 0 else { return String(cString: strerror(errno)).lowercased() }
        return nil
    }

    static func resolve(_ path: String, relativeTo directory: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }
}

enum SecretFile {
    static func read(_ path: String, relativeTo directory: String, at cursor: Cursor) -> Secret? {
        let resolved = FilePaths.resolve(path, relativeTo: directory)
        let data: Data
        switch BoundedFile.read(resolved, limit: BoundedFile.secretLimit, regularOnly: true) {
        case .success(let bytes): data = bytes
        case .failure(.unreadable):
            cursor.error("cannot read secret file \"\(resolved)\": \(Self.reason(resolved))")
            return nil
        case .failure(let failure):
            cursor.error("secret file \"\(resolved)\" \(failure.reason)")
            return nil
        }
        guard var value = String(data: data, encoding: .utf8) else {
            cursor.error("secret file \"\(resolved)\" is not UTF-8 text")
            return nil
        }
        while value.last?.isNewline == true { value.removeLast() }
        if value.isEmpty {
            cursor.error("secret file \"\(resolved)\" is empty")
            return nil
        }
        return Secret(value)
    }

    private static func reason(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
        return isDirectory.boolValue ? "is a directory" : "permission denied"
    }
}
