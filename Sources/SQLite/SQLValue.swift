/// A value bound to a statement parameter or read from a column.
public enum SQLValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A 64-bit integer.
    case integer(Int64)
    /// A double. SQLite stores NaN as NULL; keep NaN payloads in blobs.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Bytes.
    case blob([UInt8])
}

/// Literals bind directly: `[1, 2.5, "x", nil]`.
extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByNilLiteral {
    /// An integer literal binds as `.integer`.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A float literal binds as `.real`.
    public init(floatLiteral value: Double) { self = .real(value) }
    /// A string literal binds as `.text`.
    public init(stringLiteral value: String) { self = .text(value) }
    /// `nil` binds as `.null`.
    public init(nilLiteral: ()) { self = .null }
}

extension SQLValue {
    /// The value as an integer, converting reals; nil for null, text and blobs.
    public var int64: Int64? {
        switch self {
        case .integer(let v): return v
        case .real(let v): return Int64(exactly: v)
        default: return nil
        }
    }

    /// The value as text; nil unless it is text.
    public var string: String? {
        if case .text(let v) = self { return v }
        return nil
    }
}
