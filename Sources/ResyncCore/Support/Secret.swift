/// A secret configuration value (token, password, key). Printing, logging or interpolating it shows a
/// mask, so a secret cannot leak through a log line or an error message by accident.
public struct Secret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself; read it only where it is sent to the service it belongs to.
    public let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { value.isEmpty ? "(empty)" : "****" }
    public var debugDescription: String { description }
    public var isEmpty: Bool { value.isEmpty }
}
