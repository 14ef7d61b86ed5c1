/// A consumed message, copied out of librdkafka (it owns its bytes).
public struct KafkaMessage: Sendable {
    /// The topic the message was read from.
    public var topic: String
    /// The partition the message was read from.
    public var partition: Int32
    /// The message offset in its partition.
    public var offset: Int64
    /// The key bytes; `nil` for a null key.
    public var key: [UInt8]?
    /// The value bytes; `nil` for a null value (tombstone).
    public var value: [UInt8]?
    /// The headers, in their original order (duplicate keys kept).
    public var headers: [KafkaHeader]
    /// The message timestamp in milliseconds since the epoch, when the broker or producer set one.
    public var timestampMs: Int64?

    /// Creates a message (for tests and in-memory fakes).
    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?,
        headers: [KafkaHeader] = [], timestampMs: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
    }

    /// The message's topic and partition.
    public var topicPartition: KafkaTopicPartition {
        KafkaTopicPartition(topic: topic, partition: partition)
    }
}
