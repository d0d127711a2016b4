/// A secret string (token, password, webhook URL). Printing, dumping or interpolating it yields
/// `<secret>`; only `value` reveals it, so it cannot leak into logs or `lookout check` by accident.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable, Encodable
{
    /// The secret itself; pass it only to the wire.
    public let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode("<secret>")
    }
}
