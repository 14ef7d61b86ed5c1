internal import CRdKafka

/// Metadata queries shared by the clients.
enum RDKafkaMetadata {
    /// The partition count of `topic` (`rd_kafka_metadata` for that topic only).
    static func partitionCount(handle: RDKafkaHandle, topic: String, timeoutMs: Int) throws(KafkaError) -> Int {
        guard let rkt = rd_kafka_topic_new(handle.pointer, topic, nil) else {
            throw KafkaError(code: KafkaErrorCode.invalidArgument, message: "cannot create topic handle for \(topic)")
        }
        defer { rd_kafka_topic_destroy(rkt) }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(handle.pointer, 0, rkt, &metadata, Int32(clamping: timeoutMs))
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw .from(code, "metadata of \(topic)")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        let md = metadata.pointee
        for index in 0..<Int(md.topic_cnt) {
            let entry = md.topics[index]
            guard String(cString: entry.topic) == topic else { continue }
            if entry.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw .from(entry.err, "metadata of \(topic)")
            }
            return Int(entry.partition_cnt)
        }
        throw .from(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, "metadata of \(topic)")
    }
}
