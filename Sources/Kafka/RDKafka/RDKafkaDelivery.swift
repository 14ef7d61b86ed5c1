internal import CRdKafka

/// The completion of one produced message, passed through librdkafka as its `msg_opaque`.
///
/// Retained (Unmanaged) when the message is enqueued and released by the delivery callback,
/// which librdkafka calls exactly once per enqueued message.
final class RDKafkaDeliveryBox: Sendable {
    /// Called once with the outcome.
    let completion: @Sendable (Result<KafkaDeliveryReport, KafkaError>) -> Void

    /// Creates a box.
    init(_ completion: @escaping @Sendable (Result<KafkaDeliveryReport, KafkaError>) -> Void) {
        self.completion = completion
    }
}

/// librdkafka's delivery-report callback (runs on the producer's delivery-report thread, inside rd_kafka_poll).
let rdKafkaDeliveryCallback:
    @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
        _, message, _ in
        guard let message, let opaque = message.pointee._private else { return }
        let box = Unmanaged<RDKafkaDeliveryBox>.fromOpaque(opaque).takeRetainedValue()
        let m = message.pointee
        let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            box.completion(.success(KafkaDeliveryReport(topic: topic, partition: m.partition, offset: m.offset)))
        } else {
            let text = String(cString: rd_kafka_err2str(m.err))
            box.completion(
                .failure(
                    KafkaError(
                        code: m.err.rawValue, message: "delivery to \(topic)[\(m.partition)] failed: \(text)",
                        isFatal: m.err == RD_KAFKA_RESP_ERR__FATAL)))
        }
    }
