internal import CCurl
internal import CSQLite

/// What `lookout version` prints: the release, the compiler, and the C libraries linked at run time.
public enum BuildInfo {
    /// Lookout's release version.
    public static let version = "0.1.0"

    /// One line per component.
    public static var description: String {
        #if compiler(>=6.3)
        let compiler = "Swift 6.3+"
        #else
        let compiler = "Swift 6"
        #endif
        let curl = String(cString: curl_version())
        let sqlite = String(cString: sqlite3_libversion())
        return """
        lookout \(version)
          built with: \(compiler), Swift 6 language mode
          libcurl:    \(curl)
          sqlite:     \(sqlite)
        """
    }
}
