internal import CRdKafka

extension KafkaConsumer {
    /// Low and high watermarks of a partition, asked from the broker (`rd_kafka_query_watermark_offsets`).
    /// - Throws: ``KafkaError`` on timeout or an unknown partition.
    public func watermarks(_ tp: KafkaTopicPartition, timeoutMs: Int) throws(KafkaError) -> (low: Int64, high: Int64) {
        guard isOpen else { throw .closed("consumer") }
        var low: Int64 = -1
        var high: Int64 = -1
        let code = rd_kafka_query_watermark_offsets(
            handle.pointer, tp.topic, tp.partition, &low, &high, Int32(clamping: timeoutMs))
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw .from(code, "watermarks of \(tp)")
        }
        return (low, high)
    }

    /// The partition count of a topic, from metadata.
    /// - Throws: ``KafkaError`` on timeout or when the topic does not exist.
    public func partitionCount(topic: String, timeoutMs: Int) throws(KafkaError) -> Int {
        guard isOpen else { throw .closed("consumer") }
        return try RDKafkaMetadata.partitionCount(handle: handle, topic: topic, timeoutMs: timeoutMs)
    }
}
