internal import CRdKafka
import Foundation
import Locking

#if canImport(Glibc)
    import Glibc
#endif

/// librdkafka's in-process mock Kafka cluster, for tests and the demo.
///
/// Its brokers listen on loopback ports, so other processes can use ``bootstrapServers`` too.
/// Broker ids are 1...brokers. Thread-safe; ``close()`` is idempotent and also runs from deinit.
public final class KafkaMockCluster: Sendable {
    // Teardown order (close): rd_kafka_mock_cluster_destroy → rd_kafka_destroy of the owning handle →
    // release the context. The cluster needs its handle alive for its whole life.
    /// The internal producer handle that owns the cluster.
    private let handle: RDKafkaHandle
    /// The `rd_kafka_mock_cluster_t *`.
    private let cluster: RDKafkaHandle
    private let context: RDKafkaCallbackContext
    private let open = Locked(true)

    /// The cluster's bootstrap servers, `host:port,...`.
    public let bootstrapServers: String

    /// Starts a mock cluster with `brokers` brokers.
    /// - Throws: ``KafkaError`` when the handle or the cluster cannot be created.
    public init(brokers: Int = 3, logHandler: (@Sendable (KafkaLogLevel, String) -> Void)? = nil) throws(KafkaError) {
        let context = RDKafkaCallbackContext(logHandler: logHandler ?? { _, _ in }, statsHandler: nil)
        let handle = try RDKafkaClientFactory.make(.producer, config: KafkaConfig(), context: context)
        guard let cluster = rd_kafka_mock_cluster_new(handle.pointer, Int32(clamping: brokers)) else {
            rd_kafka_destroy(handle.pointer)
            Unmanaged.passUnretained(context).release()
            throw KafkaError(code: KafkaErrorCode.invalidArgument, message: "cannot create mock cluster")
        }
        self.handle = handle
        self.cluster = RDKafkaHandle(pointer: cluster)
        self.context = context
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        close()
    }

    /// Runs `body` with the cluster pointer while open.
    private func withCluster(_ what: String, _ body: (OpaquePointer) -> rd_kafka_resp_err_t) throws(KafkaError) {
        let code = try open.withLock { open throws(KafkaError) in
            guard open else { throw .closed("mock cluster") }
            return body(cluster.pointer)
        }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw .from(code, what)
        }
    }

    /// Creates a topic.
    /// - Throws: ``KafkaError`` when the mock refuses (e.g. the topic exists).
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws(KafkaError) {
        try withCluster("create topic \(name)") {
            rd_kafka_mock_topic_create($0, name, partitions, replicationFactor)
        }
    }

    /// Makes the next `errors.count` requests with `apiKey` (any broker) fail with these codes, in order.
    public func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        open.withLock { open in
            guard open, !errors.isEmpty else { return }
            let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
            rd_kafka_mock_push_request_errors_array(cluster.pointer, apiKey, codes.count, codes)
        }
    }

    /// Makes the next requests with `apiKey` to `broker` fail with the codes (0 for success) after the RTTs.
    /// - Throws: ``KafkaError`` for an unknown broker.
    public func pushBrokerRequestErrors(broker: Int32, apiKey: Int16, errors: [(code: Int32, rttMs: Int32)])
        throws(KafkaError)
    {
        for entry in errors {
            try withCluster("push request errors to broker \(broker)") {
                RDKafkaMockVariadic.pushBrokerRequestError(
                    $0, broker: broker, apiKey: apiKey, code: entry.code, rttMs: entry.rttMs)
            }
        }
    }

    /// Takes a broker down (connections closed, new ones refused).
    public func setBrokerDown(_ broker: Int32) throws(KafkaError) {
        try withCluster("set broker \(broker) down") { rd_kafka_mock_broker_set_down($0, broker) }
    }

    /// Brings a broker back up.
    public func setBrokerUp(_ broker: Int32) throws(KafkaError) {
        try withCluster("set broker \(broker) up") { rd_kafka_mock_broker_set_up($0, broker) }
    }

    /// Delays every response of a broker by `ms`.
    public func setBrokerRTT(_ broker: Int32, ms: Int32) throws(KafkaError) {
        try withCluster("set broker \(broker) rtt") { rd_kafka_mock_broker_set_rtt($0, broker, ms) }
    }

    /// Moves a partition's leadership to `broker` (-1 for no leader).
    public func setPartitionLeader(topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        try withCluster("set leader of \(topic)[\(partition)]") {
            rd_kafka_mock_partition_set_leader($0, topic, partition, broker)
        }
    }

    /// Sets the follower that consumers are told to fetch from (KIP-392).
    public func setPartitionFollower(topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        try withCluster("set follower of \(topic)[\(partition)]") {
            rd_kafka_mock_partition_set_follower($0, topic, partition, broker)
        }
    }

    /// Sets the coordinator of a group (`keyType` "group") or transactional id ("transaction").
    public func setCoordinator(keyType: String = "group", key: String, broker: Int32) throws(KafkaError) {
        try withCluster("set coordinator of \(key)") { rd_kafka_mock_coordinator_set($0, keyType, key, broker) }
    }

    /// Destroys the cluster, then its handle. Idempotent.
    public func close() {
        let wasOpen = open.withLock { open in
            defer { open = false }
            return open
        }
        guard wasOpen else { return }
        rd_kafka_mock_cluster_destroy(cluster.pointer)
        rd_kafka_destroy(handle.pointer)
        Unmanaged.passUnretained(context).release()
    }
}
