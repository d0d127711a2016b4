import Foundation

/// `lookout.env` beside the config file: the secrets the systemd unit loads for the daemon
/// (`EnvironmentFile=`), read by every command too, so `lookout check`, `status` or `query` in an
/// operator's shell see the configuration the daemon sees. Variables already in the environment
/// win. A missing or unreadable file (the daemon's dynamic user cannot read the root-only file;
/// systemd has passed its contents already) is the same as an empty one, and so is a file that
/// another user owns or that its group or anyone may write.
public enum EnvironmentFile {
    /// The name looked for in the config file's directory.
    public static let fileName = "lookout.env"

    /// `environment` with the variables of `lookout.env` in the directory of `configPath` added
    /// where it has none of its own.
    public static func merged(_ environment: [String: String], configPath: String) -> [String: String] {
        let directory = (configPath as NSString).deletingLastPathComponent
        let path = directory.isEmpty ? fileName : (directory as NSString).appendingPathComponent(fileName)
        guard isTrusted(path),
              case .success(let data) = BoundedFile.read(path, limit: BoundedFile.secretLimit, regularOnly: true),
              let text = String(data: data, encoding: .utf8) else { return environment }
        return environment.merging(parse(text)) { own, _ in own }
    }

    /// Whether the file may supply values: owned by root or by this process' user, and writable
    /// by its owner only (not its group, not others). A file someone else planted or edited beside
    /// a config must not redirect alerts or credentials.
    static func isTrusted(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_uid == 0 || info.st_uid == geteuid()) && info.st_mode & (S_IWOTH | S_IWGRP) == 0
    }

    /// The assignments of an environment file as systemd reads one: `NAME=value` per line, `#` and
    /// `;` comments, blank lines, values optionally in single or double quotes (`\"` and `\\`
    /// inside double ones). An `export ` prefix is accepted, for files also sourced by a shell.
    /// Lines that assign nothing valid are skipped.
    static func parse(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var line = rawLine.drop { $0 == " " || $0 == "\t" }
            guard let first = line.first, first != "#", first != ";" else { continue }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count).drop { $0 == " " || $0 == "\t" } }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = String(line[..<equals]).trimmingCharacters(in: .whitespaces)
            guard EnvExpansion.isValidName(name) else { continue }
            result[name] = unquote(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
        }
        return result
    }

    private static func unquote(_ value: String) -> String {
        guard value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote else { return value }
        let inner = value.dropFirst().dropLast()
        guard quote == "\"" else { return String(inner) }
        var out = ""
        var escaped = false
        for character in inner {
            if escaped {
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        if escaped { out.append("\\") }
        return out
    }
}
