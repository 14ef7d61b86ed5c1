public import JSON
public import Kafka

/// What happened to an intent, as the results topic reports it (contract.md, Result message).
public enum IntentResult: Sendable, Hashable {
    /// CatFee returned an order: a new one, or the existing one for this `client_order_id` (`duplicate`).
    case ordered(order: JSONValue, duplicate: Bool)
    /// Permanently refused, locally (`source: validation`) or by the API (`source: api`); nothing was charged by
    /// this request.
    case rejected(source: RejectionSource, code: String, message: String, httpStatus: Int?)

    /// Who refused an intent.
    public enum RejectionSource: String, Sendable, Hashable {
        case validation
        case api
    }

    /// `ORDERED` or `REJECTED`.
    public var status: String {
        switch self {
        case .ordered: "ORDERED"
        case .rejected: "REJECTED"
        }
    }
}

/// A record ready for the results or dead-letter topic, kept until the broker acknowledged it so that a failed
/// publish is retried from it and never by calling the API again (failure-cases.md, 4).
public struct OutgoingRecord: Sendable {
    /// Destination topic.
    public var topic: String
    /// Message key.
    public var key: [UInt8]?
    /// Message value.
    public var value: [UInt8]?
    /// Message headers.
    public var headers: [KafkaHeader]

    /// Creates a record.
    public init(topic: String, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader]) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// The result record of `message` (key = `client_order_id`, headers carried over).
    public static func result(
        of message: KafkaMessage,
        clientOrderID: String,
        result: IntentResult,
        attempts: Int,
        topic: String,
        processedAtMs: Int64
    ) -> OutgoingRecord {
        var members: [(String, JSONValue)] = [
            ("client_order_id", .string(clientOrderID)),
            ("status", .string(result.status)),
        ]
        switch result {
        case .ordered(let order, let duplicate):
            members.append(("duplicate", .bool(duplicate)))
            members.append(("order", order))
        case .rejected(let source, let code, let text, let httpStatus):
            members.append(("duplicate", .bool(false)))
            members.append(
                (
                    "error",
                    .object([
                        ("source", .string(source.rawValue)),
                        ("code", .string(code)),
                        ("message", .string(text)),
                        ("http_status", httpStatus.map { .integer($0) } ?? .null),
                    ])
                )
            )
        }
        members.append(
            (
                "source",
                .object([
                    ("topic", .string(message.topic)),
                    ("partition", .integer(message.partition)),
                    ("offset", .integer(message.offset)),
                ])
            )
        )
        members.append(("attempts", .integer(attempts)))
        members.append(("processed_at_ms", .integer(processedAtMs)))
        return OutgoingRecord(
            topic: topic,
            key: Array(clientOrderID.utf8),
            value: JSONValue.object(members).serialized(),
            headers: message.headers
        )
    }

    /// The dead letter of `message`: key, value and headers unchanged, plus the `dlq-*` headers.
    public static func deadLetter(of message: KafkaMessage, reason: DeadLetterReason, topic: String) -> OutgoingRecord {
        var headers = message.headers
        headers.append(KafkaHeader(key: "dlq-reason", value: Array(reason.code.utf8)))
        headers.append(KafkaHeader(key: "dlq-detail", value: Array(reason.detail.utf8)))
        headers.append(KafkaHeader(key: "dlq-source-topic", value: Array(message.topic.utf8)))
        headers.append(KafkaHeader(key: "dlq-source-partition", value: Array(String(message.partition).utf8)))
        headers.append(KafkaHeader(key: "dlq-source-offset", value: Array(String(message.offset).utf8)))
        return OutgoingRecord(topic: topic, key: message.key, value: message.value, headers: headers)
    }
}
