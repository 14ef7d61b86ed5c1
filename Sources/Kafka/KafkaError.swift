internal import CRdKafka

/// An error reported by librdkafka or by this wrapper.
///
/// `code` is librdkafka's raw `rd_kafka_resp_err_t` value: negative codes are client-side
/// (for example `-192` message timed out), positive codes are Kafka protocol errors.
/// Compare it against ``KafkaErrorCode`` constants.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// The raw `rd_kafka_resp_err_t` value.
    public let code: Int32
    /// A human-readable reason, naming the operation, property or partition involved.
    public let message: String
    /// Whether repeating the operation later can succeed (transient broker or network condition).
    public var isRetriable: Bool
    /// Whether the client instance is unusable and must be recreated (librdkafka fatal error).
    public var isFatal: Bool

    /// Creates an error; `isRetriable` defaults to the classification of `code` (see ``KafkaErrorCode/isRetriable(_:)``).
    public init(code: Int32, message: String, isRetriable: Bool? = nil, isFatal: Bool = false) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable ?? KafkaErrorCode.isRetriable(code)
        self.isFatal = isFatal
    }

    /// librdkafka's symbolic name of the code, such as `_MSG_TIMED_OUT` or `NOT_LEADER_FOR_PARTITION`.
    public var codeName: String {
        String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: code)))
    }

    /// `message (NAME, code N)`.
    public var description: String {
        "\(message) (\(codeName), code \(code))"
    }
}

extension KafkaError {
    /// Builds an error from a librdkafka code, prefixing librdkafka's own text with `context`.
    static func from(_ err: rd_kafka_resp_err_t, _ context: String) -> KafkaError {
        KafkaError(code: err.rawValue, message: "\(context): \(String(cString: rd_kafka_err2str(err)))")
    }

    /// Builds an error from a raw code, prefixing librdkafka's own text with `context`.
    static func from(code: Int32, _ context: String) -> KafkaError {
        from(rd_kafka_resp_err_t(rawValue: code), context)
    }

    /// The error for an operation on a client that was already closed.
    static func closed(_ what: String) -> KafkaError {
        KafkaError(code: KafkaErrorCode.destroy, message: "\(what) is closed", isRetriable: false)
    }
}
