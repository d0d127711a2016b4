import Foundation

/// Runs `executable` with `arguments` on a thread of its own (off the cooperative pool) and
/// returns its exit status and its combined standard output and error.
public func runTool(_ executable: String, _ arguments: [String]) async throws -> (Int32, String) {
    try await offCooperativePool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
