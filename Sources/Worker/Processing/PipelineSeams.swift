public import CatFee
public import Kafka

/// Places one CatFee order request (exactly one HTTP request per call). ``CatFee/CatFeeClient`` in production.
public protocol OrderPlacing: Sendable {
    /// Sends one request and classifies its answer.
    func placeOrder(_ request: OrderRequest) async -> OrderAttempt
}

/// Publishes one record and reports the broker's acknowledgement. ``Kafka/KafkaProducer`` in production.
public protocol RecordPublishing: Sendable {
    /// Enqueues `record`; `completion` runs once the broker acknowledged it or the attempt failed.
    func publish(_ record: OutgoingRecord, completion: @escaping @Sendable (Result<Void, KafkaError>) -> Void)
}

/// The consumer operations the pipeline needs. ``Kafka/KafkaConsumer`` in production.
public protocol ConsumerControl: Sendable {
    /// Stops fetching from `partitions` (polling goes on).
    func pause(_ partitions: [KafkaTopicPartition])
    /// Resumes fetching from `partitions`.
    func resume(_ partitions: [KafkaTopicPartition])
    /// Stores offsets for the next auto-commit (next offset to consume); returns per-partition failures.
    @discardableResult
    func storeOffsets(_ offsets: [KafkaTopicPartition: Int64]) throws(KafkaError) -> [KafkaTopicPartition: KafkaError]
    /// Commits offsets synchronously.
    func commit(_ offsets: [KafkaTopicPartition: Int64]?) throws(KafkaError)
}

extension CatFeeClient: OrderPlacing {}

extension KafkaConsumer: ConsumerControl {}

extension KafkaProducer: RecordPublishing {
    public func publish(_ record: OutgoingRecord, completion: @escaping @Sendable (Result<Void, KafkaError>) -> Void) {
        send(topic: record.topic, key: record.key, value: record.value, headers: record.headers) { result in
            completion(result.map { _ in () })
        }
    }
}
