import Synchronization

/// A stop request shared with a client's dedicated thread, as a reference so the thread need not retain the client.
final class RDKafkaStopFlag: Sendable {
    private let value = Atomic<Bool>(false)

    /// Creates an unset flag.
    init() {}

    /// Whether stop was requested.
    var isSet: Bool { value.load(ordering: .acquiring) }

    /// Requests stop.
    func set() { value.store(true, ordering: .releasing) }
}
