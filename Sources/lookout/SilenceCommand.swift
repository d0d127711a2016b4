import ArgumentParser
import Daemon
import Foundation
import Model
import Notify
import Storage

struct SilenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence", abstract: "Manage silences (stored in the database; the daemon need not run).",
        subcommands: [Add.self, List.self, Expire.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a silence; prints its ID.")
        @Option(name: .customLong("match"), help: "A matcher: k=v, k!=v, k=~re or k!~re (repeatable).") var matchers: [String]
        @Option(name: .customLong("for"), help: "How long, e.g. 2h.") var duration: String
        @Option(help: "Why.") var comment: String
        @Option(help: "Who (default: $USER).") var author: String?
        @OptionGroup var options: ConfigOptions

        func run() throws {
            guard let millis = PromDuration.parse(duration), millis > 0 else {
                throw ValidationError("invalid duration \"\(duration)\" for --for")
            }
            let manager = try SilenceCommand.manager(options, create: true)
            let who = author ?? ProcessInfo.processInfo.environment["USER"] ?? "lookout-cli"
            do {
                let silence = try manager.add(matchers: matchers, duration: millis, comment: comment, createdBy: who,
                                              now: TimeArgument.nowMillis())
                print(silence.id)
            } catch let error as SilenceManager.InvalidSilence {
                StandardError.write("lookout: \(error)")
                throw ExitCode(1)
            } catch {
                StandardError.write("lookout: \(error)")
                throw ExitCode(1)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List silences, newest first.")
        @Flag(help: "Include expired silences.") var all = false
        @OptionGroup var options: ConfigOptions

        func run() throws {
            let manager = try SilenceCommand.manager(options)
            let now = TimeArgument.nowMillis()
            let silences = try manager.list().filter { all || $0.state(at: now) != .expired }
            if silences.isEmpty { print("no silences"); return }
            print("ID\tSTATE\tMATCHERS\tENDS\tCREATED BY\tCOMMENT")
            for s in silences {
                let ends = UTCTime(s.endsAt).rfc3339
                print("\(s.id)\t\(s.state(at: now).rawValue)\t{\(s.matchers.map(\.description).joined(separator: ", "))}\t\(ends)\t\(s.createdBy)\t\(s.comment)")
            }
        }
    }

    struct Expire: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Expire a silence now.")
        @Argument(help: "The silence ID.") var id: String
        @OptionGroup var options: ConfigOptions

        func run() throws {
            let manager = try SilenceCommand.manager(options)
            guard try manager.expire(id: id, now: TimeArgument.nowMillis()) else {
                StandardError.write("lookout: no active or pending silence \(id)")
                throw ExitCode(1)
            }
            print("expired \(id)")
        }
    }

    /// The silences of the store. Only `add` may create the database (the daemon need not have
    /// run yet), and says so; listing or expiring in a data directory without one is an error,
    /// not a new empty database (a mistyped `--data-dir` or a missing `--config`).
    static func manager(_ options: ConfigOptions, create: Bool = false) throws -> SilenceManager {
        let dir = try StoreLocation.dataDir(options)
        let path = StorageDatabase.path(dataDir: dir)
        if !FileManager.default.fileExists(atPath: path) {
            guard create else { _ = try StoreLocation.existingDatabase(options); throw ExitCode(2) }
            StandardError.write("lookout: no database at \(path) yet; creating it (the daemon must use this data directory to honour the silence)")
        }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            return try SilenceManager(databasePath: path)
        } catch {
            StandardError.write("lookout: cannot open the database in \(dir): \(error)")
            throw ExitCode(2)
        }
    }
}
