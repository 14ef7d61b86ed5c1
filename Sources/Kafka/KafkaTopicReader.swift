import Foundation

/// Test and demo helper: reads a whole topic as it is now.
///
/// Async: a read blocks on the broker for up to `timeoutMs`, so it runs on a thread of its own
/// (``awayFromCooperativePool(_:)``).
public enum KafkaTopicReader {
    /// Reads every message of `topic` from the beginning up to each partition's high watermark at call time
    /// (manual assignment, a unique group.id, no commits), sorted by partition then offset.
    /// - Throws: ``KafkaError`` when metadata or the messages cannot be read within `timeoutMs`.
    public static func readAll(
        bootstrapServers: String, topic: String, extra: KafkaConfig = .init(), timeoutMs: Int = 10_000
    ) async throws(KafkaError) -> [KafkaMessage] {
        try await awayFromCooperativePool { () throws(KafkaError) -> [KafkaMessage] in
            let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
            var config = KafkaConfig([
                "bootstrap.servers": bootstrapServers,
                "group.id": "catfee-topic-reader-\(UUID().uuidString)",
                "enable.auto.commit": "false",
                "enable.auto.offset.store": "false",
            ])
            config = config.merging(extra)
            let consumer = try KafkaConsumer(config: config)
            defer { consumer.close() }
            let count = try consumer.partitionCount(topic: topic, timeoutMs: timeoutMs)
            var targets: [Int32: Int64] = [:]
            for partition in 0..<Int32(count) {
                let marks = try consumer.watermarks(
                    KafkaTopicPartition(topic: topic, partition: partition), timeoutMs: timeoutMs)
                if marks.high > marks.low { targets[partition] = marks.high }
            }
            var assignment: [KafkaTopicPartition: Int64] = [:]
            for partition in targets.keys {
                assignment[KafkaTopicPartition(topic: topic, partition: partition)] = KafkaOffset.beginning
            }
            try consumer.assign(assignment)
            var messages: [KafkaMessage] = []
            var remaining = targets
            while !remaining.isEmpty {
                guard Date() < deadline else {
                    throw KafkaError(
                        code: KafkaErrorCode.timedOut,
                        message:
                            "reading \(topic) timed out; partitions not read to the end: \(remaining.keys.sorted())")
                }
                guard let message = try consumer.poll(timeoutMs: 100) else { continue }
                guard let high = remaining[message.partition], message.offset < high else { continue }
                messages.append(message)
                if message.offset + 1 >= high { remaining[message.partition] = nil }
            }
            return messages.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
        }
    }
}
