import Foundation
import Kafka
import Synchronization

/// Polls `condition` until it holds or `timeoutMs` passed; returns whether it held.
func waitUntil(timeoutMs: Int = 10_000, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

/// A unique name for topics and groups.
func uniqueName(_ prefix: String) -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8))"
}

/// Produces `count` keyed messages with a header and waits for all reports.
func produce(
    _ producer: KafkaProducer, topic: String, count: Int, partition: Int32? = nil
) async throws -> [KafkaDeliveryReport] {
    var reports: [KafkaDeliveryReport] = []
    for index in 0..<count {
        let result = await producer.send(
            topic: topic, partition: partition, key: Array("key-\(index)".utf8), value: Array("value-\(index)".utf8),
            headers: [KafkaHeader(key: "index", value: Array("\(index)".utf8))])
        reports.append(try result.get())
    }
    return reports
}

/// Consumer settings for fast group tests against the mock cluster (its rebalances wait up to the session timeout).
func groupConfig(_ cluster: KafkaMockCluster, group: String, extra: [String: String] = [:]) -> KafkaConfig {
    KafkaConfig(
        [
            "bootstrap.servers": cluster.bootstrapServers, "group.id": group, "auto.offset.reset": "earliest",
            "enable.auto.offset.store": "false", "session.timeout.ms": "4000", "heartbeat.interval.ms": "200",
            "partition.assignment.strategy": "cooperative-sticky", "topic.metadata.refresh.interval.ms": "1000",
        ].merging(extra) { _, new in new })
}

/// A delegate that records every callback.
final class RecordingDelegate: KafkaConsumerDelegate {
    /// What was seen, in order.
    struct Record {
        var messages: [KafkaMessage] = []
        var assigned: [KafkaTopicPartition] = []
        var events: [String] = []
        var errors: [KafkaError] = []
    }

    let record = Mutex(Record())
    /// Called inside willRevoke, e.g. to commit.
    let onRevoke: (@Sendable (KafkaConsumer, [KafkaTopicPartition]) -> Void)?

    init(onRevoke: (@Sendable (KafkaConsumer, [KafkaTopicPartition]) -> Void)? = nil) {
        self.onRevoke = onRevoke
    }

    var messageCount: Int { record.withLock { $0.messages.count } }
    var assigned: [KafkaTopicPartition] { record.withLock { $0.assigned } }
    var events: [String] { record.withLock { $0.events } }

    func consumer(_ consumer: KafkaConsumer, didReceive messages: [KafkaMessage]) {
        record.withLock { $0.messages.append(contentsOf: messages) }
    }

    func consumer(_ consumer: KafkaConsumer, didAssign partitions: [KafkaTopicPartition]) {
        record.withLock {
            $0.assigned.append(contentsOf: partitions)
            $0.events.append("\(Date().timeIntervalSince1970) assign \(partitions.sorted())")
        }
    }

    func consumer(_ consumer: KafkaConsumer, willRevoke partitions: [KafkaTopicPartition], lost: Bool) {
        let stillAssigned = Set(consumer.assignment).isSuperset(of: partitions)
        record.withLock {
            $0.assigned.removeAll { partitions.contains($0) }
            $0.events.append(
                "\(Date().timeIntervalSince1970) revoke \(partitions.sorted()) lost=\(lost) stillAssigned=\(stillAssigned)"
            )
        }
        onRevoke?(consumer, partitions)
    }

    func consumerDidTick(_ consumer: KafkaConsumer) {}

    func consumer(_ consumer: KafkaConsumer, didFail error: KafkaError) {
        record.withLock { $0.errors.append(error) }
    }
}
