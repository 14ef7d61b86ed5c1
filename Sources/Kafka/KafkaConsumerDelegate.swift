/// Callbacks of a running ``KafkaConsumer``.
///
/// All are called on the consumer's poll thread, except the final ``consumer(_:willRevoke:lost:)``
/// during ``KafkaConsumer/close()``, which runs on the thread that called `close()`.
/// Never call `close()` or `start` from a callback.
public protocol KafkaConsumerDelegate: AnyObject, Sendable {
    /// Messages returned by one poll/batch (never empty). Must not block for long.
    func consumer(_ consumer: KafkaConsumer, didReceive messages: [KafkaMessage])
    /// Partitions newly assigned, after the (incremental) assign and after they were resumed,
    /// so an application pause from an earlier assignment never survives a re-assignment.
    func consumer(_ consumer: KafkaConsumer, didAssign partitions: [KafkaTopicPartition])
    /// Partitions about to be revoked, called before the (incremental) unassign inside the rebalance callback:
    /// the delegate may block (bounded) to finish work and call ``KafkaConsumer/commit(_:)`` synchronously.
    /// `lost` is true when the assignment was lost (`rd_kafka_assignment_lost`); the delegate must not commit then.
    func consumer(_ consumer: KafkaConsumer, willRevoke partitions: [KafkaTopicPartition], lost: Bool)
    /// Called once per poll-loop iteration (about every poll timeout), for liveness and housekeeping.
    func consumerDidTick(_ consumer: KafkaConsumer)
    /// A fatal or non-retriable consumer error; transient ones go to the log handler as warnings.
    func consumer(_ consumer: KafkaConsumer, didFail error: KafkaError)
}
