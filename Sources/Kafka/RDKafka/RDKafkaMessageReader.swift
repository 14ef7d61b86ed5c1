internal import CRdKafka

/// Copies `rd_kafka_message_t`s into ``KafkaMessage`` values, caching the topic name per topic handle.
struct RDKafkaMessageReader {
    private var lastTopicHandle: OpaquePointer?
    private var lastTopicName = ""

    /// Creates a reader.
    init() {}

    /// The message's bytes copied into Swift (the caller still destroys the C message).
    mutating func read(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaMessage {
        let m = message.pointee
        if m.rkt != lastTopicHandle || lastTopicHandle == nil {
            lastTopicHandle = m.rkt
            lastTopicName = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        }
        let key = m.key.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        let value = m.payload.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: m.len)) }
        var headers: [KafkaHeader] = []
        var hdrs: OpaquePointer?
        if rd_kafka_message_headers(message, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            var index = 0
            var name: UnsafePointer<CChar>?
            var bytes: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(hdrs, index, &name, &bytes, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let headerValue = bytes.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append(KafkaHeader(key: name.map { String(cString: $0) } ?? "", value: headerValue))
                index += 1
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        return KafkaMessage(
            topic: lastTopicName, partition: m.partition, offset: m.offset, key: key, value: value,
            headers: headers,
            timestampMs: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || timestamp < 0 ? nil : timestamp)
    }
}
