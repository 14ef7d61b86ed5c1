/// Why the simulator could not start or could not read a configuration.
public struct SimulatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A human reason naming the setting or resource at fault.
    public let reason: String

    /// An error with `reason`.
    public init(_ reason: String) { self.reason = reason }

    /// The reason.
    public var description: String { reason }
}
