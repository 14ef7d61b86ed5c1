internal import CRdKafka
import Locking

/// The Swift side of a librdkafka handle, reached from C callbacks through the handle's opaque.
///
/// Retained once (Unmanaged) when the handle is created and released after `rd_kafka_destroy`
/// returned, so every callback librdkafka can still make finds it alive.
final class RDKafkaCallbackContext: Sendable {
    /// What the rebalance callback needs; only used by consumers.
    struct ConsumerState {
        /// The consumer, weak so the context never keeps it alive.
        weak var consumer: KafkaConsumer?
        /// The delegate; cleared when the consumer is closed, which breaks delegate→consumer cycles.
        var delegate: (any KafkaConsumerDelegate)?
        /// Whether an assignment (possibly empty) ever arrived.
        var assignedOnce = false
    }

    /// Receives librdkafka log lines, if any.
    let logHandler: (@Sendable (KafkaLogLevel, String) -> Void)?
    /// Receives statistics JSON, if any.
    let statsHandler: (@Sendable (String) -> Void)?
    /// Consumer and delegate for the rebalance callback.
    let consumerState = Locked(ConsumerState())

    /// Creates a context.
    init(
        logHandler: (@Sendable (KafkaLogLevel, String) -> Void)?,
        statsHandler: (@Sendable (String) -> Void)?
    ) {
        self.logHandler = logHandler
        self.statsHandler = statsHandler
    }

    /// The context stored as `rk`'s opaque.
    static func of(_ rk: OpaquePointer?) -> RDKafkaCallbackContext? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
    }

    /// The context from a callback's opaque argument.
    static func of(opaque: UnsafeMutableRawPointer?) -> RDKafkaCallbackContext? {
        guard let opaque else { return nil }
        return Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}
