/// Why no HTTP response arrived.
public enum CatFeeTransportError: Error, Sendable, Hashable {
    /// Connection refused or reset, empty reply, send or receive error, or the client was shut down.
    case network(String)
    /// The connect timeout or the total request timeout elapsed.
    case timeout
}
