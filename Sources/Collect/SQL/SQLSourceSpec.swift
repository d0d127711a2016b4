/// One `sql:` source: a query against an application's SQLite database, run read-only.
public struct SQLSourceSpec: Sendable, Hashable {
    /// The series name each row becomes, and the `source` label of `sql_up`.
    public var name: String
    /// Path of the database file; opened read-only, never created.
    public var database: String
    /// A query whose `value` column is the sample value; other columns become labels.
    public var query: String
    /// How often the query runs.
    public var interval: Duration = .seconds(60)
    /// How long to wait for the application's write lock before giving up on the round.
    public var busyTimeout: Duration = .milliseconds(200)

    /// A source with the default 1-minute interval.
    public init(name: String, database: String, query: String) {
        self.name = name
        self.database = database
        self.query = query
    }
}
