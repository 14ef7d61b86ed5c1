import Foundation

/// Test and demo helper: a consumer group's progress on a topic.
///
/// Async: each call blocks on the broker for up to `timeoutMs`, so it runs on a thread of its own
/// (``awayFromCooperativePool(_:)``).
public enum KafkaGroupInspector {
    /// The committed offsets of `group` for every partition of `topic` (``KafkaOffset/invalid`` where none),
    /// read by a consumer with that group.id that never joins the group.
    /// - Throws: ``KafkaError`` on timeout or when the topic does not exist.
    public static func committedOffsets(
        bootstrapServers: String, group: String, topic: String, timeoutMs: Int = 10_000
    ) async throws(KafkaError) -> [Int32: Int64] {
        try await awayFromCooperativePool { () throws(KafkaError) -> [Int32: Int64] in
            let consumer = try KafkaConsumer(
                config: KafkaConfig([
                    "bootstrap.servers": bootstrapServers, "group.id": group, "enable.auto.commit": "false",
                ]))
            defer { consumer.close() }
            let count = try consumer.partitionCount(topic: topic, timeoutMs: timeoutMs)
            let partitions = (0..<Int32(count)).map { KafkaTopicPartition(topic: topic, partition: $0) }
            let offsets = try consumer.committed(partitions, timeoutMs: timeoutMs)
            return Dictionary(uniqueKeysWithValues: offsets.map { ($0.key.partition, $0.value) })
        }
    }

    /// The high watermark (next offset to be written) of every partition of `topic`.
    /// - Throws: ``KafkaError`` on timeout or when the topic does not exist.
    public static func highWatermarks(
        bootstrapServers: String, topic: String, timeoutMs: Int = 10_000
    ) async throws(KafkaError) -> [Int32: Int64] {
        try await awayFromCooperativePool { () throws(KafkaError) -> [Int32: Int64] in
            let consumer = try KafkaConsumer(
                config: KafkaConfig([
                    "bootstrap.servers": bootstrapServers, "group.id": "catfee-inspector-\(UUID().uuidString)",
                    "enable.auto.commit": "false",
                ]))
            defer { consumer.close() }
            let count = try consumer.partitionCount(topic: topic, timeoutMs: timeoutMs)
            var result: [Int32: Int64] = [:]
            for partition in 0..<Int32(count) {
                result[partition] = try consumer.watermarks(
                    KafkaTopicPartition(topic: topic, partition: partition), timeoutMs: timeoutMs
                ).high
            }
            return result
        }
    }
}
