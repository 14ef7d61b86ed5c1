/// Where the broker stored a produced message.
public struct KafkaDeliveryReport: Sendable {
    /// The topic.
    public var topic: String
    /// The partition the message was written to.
    public var partition: Int32
    /// The offset the broker assigned.
    public var offset: Int64

    /// Creates a report (for tests and in-memory fakes).
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
