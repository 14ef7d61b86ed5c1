internal import CRdKafka

/// Conversions between Swift partitions and `rd_kafka_topic_partition_list_t`.
enum RDKafkaPartitionList {
    /// A C partition list pointer.
    typealias Pointer = UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// Creates a list (the caller destroys it with `rd_kafka_topic_partition_list_destroy`).
    static func make(_ entries: [(KafkaTopicPartition, Int64)]) -> Pointer {
        let list = rd_kafka_topic_partition_list_new(Int32(max(entries.count, 1)))!
        for (tp, offset) in entries {
            let element = rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition)!
            element.pointee.offset = offset
        }
        return list
    }

    /// Runs `body` with a temporary list of the partitions (offsets `KafkaOffset.invalid`).
    static func with<R, E: Error>(
        _ partitions: [KafkaTopicPartition], _ body: (Pointer) throws(E) -> R
    ) throws(E) -> R {
        let list = make(partitions.map { ($0, KafkaOffset.invalid) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return try body(list)
    }

    /// Runs `body` with a temporary list of the partitions and offsets.
    static func with<R, E: Error>(
        _ offsets: [KafkaTopicPartition: Int64], _ body: (Pointer) throws(E) -> R
    ) throws(E) -> R {
        let list = make(offsets.map { ($0.key, $0.value) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return try body(list)
    }

    /// Calls `body` for each element.
    static func forEach(_ list: Pointer?, _ body: (KafkaTopicPartition, Int64, Int32) -> Void) {
        guard let list, let elems = list.pointee.elems else { return }
        for index in 0..<Int(list.pointee.cnt) {
            let element = elems[index]
            let tp = KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
            body(tp, element.offset, element.err.rawValue)
        }
    }

    /// The partitions of a list, in list order.
    static func partitions(_ list: Pointer?) -> [KafkaTopicPartition] {
        var result: [KafkaTopicPartition] = []
        forEach(list) { tp, _, _ in result.append(tp) }
        return result
    }

    /// The offsets of a list.
    static func offsets(_ list: Pointer?) -> [KafkaTopicPartition: Int64] {
        var result: [KafkaTopicPartition: Int64] = [:]
        forEach(list) { tp, offset, _ in result[tp] = offset }
        return result
    }
}
