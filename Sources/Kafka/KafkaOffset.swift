/// librdkafka's logical offsets.
public enum KafkaOffset {
    /// The earliest available offset (`RD_KAFKA_OFFSET_BEGINNING`).
    public static let beginning: Int64 = -2
    /// The offset after the last message (`RD_KAFKA_OFFSET_END`).
    public static let end: Int64 = -1
    /// The group's committed offset (`RD_KAFKA_OFFSET_STORED`).
    public static let stored: Int64 = -1000
    /// No offset, e.g. nothing committed yet (`RD_KAFKA_OFFSET_INVALID`).
    public static let invalid: Int64 = -1001
}
