internal import CRdKafka
import Dispatch
import Foundation
import Locking

/// An idempotent Kafka producer (one `rd_kafka_t` of type PRODUCER) with a dedicated delivery-report thread.
///
/// `init` forces `enable.idempotence=true` and `acks=all` after the caller's properties, so they cannot be
/// weakened. Thread-safety: ``send(topic:partition:key:value:headers:completion:)``, ``flush(timeoutMs:)`` and
/// ``queueLength`` may be called from any thread; ``close(timeoutMs:)`` once, not from a completion.
public final class KafkaProducer: Sendable {
    // Teardown order (close): flush → purge queued and in-flight messages → stop and join the
    // delivery-report thread → serve the remaining (purge) reports on the caller → rd_kafka_destroy →
    // release the context.
    /// The C handle, destroyed in ``close(timeoutMs:)``.
    private let handle: RDKafkaHandle
    /// Callback context (opaque of the handle); outlives the handle.
    private let context: RDKafkaCallbackContext
    /// Whether the producer accepts messages; false from the start of close.
    private let open = Locked(true)
    /// Topic handles made by ``prepare(topics:)``, destroyed in ``close(timeoutMs:)`` before the handle.
    private let preparedTopics = Locked<[OpaquePointer]>([])
    private let stopRequested = RDKafkaStopFlag()
    /// Signalled when the delivery-report thread has ended.
    private let reportThreadDone = DispatchSemaphore(value: 0)

    /// Creates the producer and starts its delivery-report thread.
    /// - Throws: ``KafkaError`` naming the property librdkafka refused, or why the handle could not be created.
    public init(config: KafkaConfig, logHandler: (@Sendable (KafkaLogLevel, String) -> Void)? = nil) throws(KafkaError)
    {
        var config = config
        config["enable.idempotence"] = "true"
        config["acks"] = "all"
        let context = RDKafkaCallbackContext(logHandler: logHandler, statsHandler: nil)
        self.handle = try RDKafkaClientFactory.make(.producer, config: config, context: context) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, rdKafkaDeliveryCallback)
        }
        self.context = context
        let thread = Thread { [handle, stopRequested, reportThreadDone] in
            while !stopRequested.isSet {
                rd_kafka_poll(handle.pointer, 100)
            }
            reportThreadDone.signal()
        }
        thread.name = "kafka-producer-dr"
        thread.start()
    }

    deinit {
        close(timeoutMs: 0)
    }

    /// Enqueues a message (key, value and headers are copied); `partition` nil lets the partitioner choose.
    ///
    /// `completion` is called exactly once: normally on the delivery-report thread with the partition and
    /// offset or the delivery error (including `message.timeout.ms` expiry, ``KafkaErrorCode/messageTimedOut``).
    /// If the message cannot be enqueued (for example ``KafkaErrorCode/queueFull``, or the producer is closed)
    /// it is called synchronously, on the calling thread, before `send` returns.
    public func send(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = [],
        completion: @escaping @Sendable (Result<KafkaDeliveryReport, KafkaError>) -> Void
    ) {
        guard open.withLock({ $0 }) else {
            completion(.failure(.closed("producer")))
            return
        }
        let opaque = Unmanaged.passRetained(RDKafkaDeliveryBox(completion)).toOpaque()
        let code = RDKafkaProduce.produce(
            handle: handle, topic: topic, partition: partition ?? RD_KAFKA_PARTITION_UA, key: key, value: value,
            headers: headers, opaque: opaque)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            Unmanaged<RDKafkaDeliveryBox>.fromOpaque(opaque).release()
            completion(.failure(.from(code, "produce to \(topic)")))
        }
    }

    /// Enqueues a message and waits for its delivery report (see the completion form for the semantics).
    public func send(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = []
    ) async -> Result<KafkaDeliveryReport, KafkaError> {
        await withCheckedContinuation { continuation in
            send(topic: topic, partition: partition, key: key, value: value, headers: headers) {
                continuation.resume(returning: $0)
            }
        }
    }

    /// Waits up to `timeoutMs` for every queued message to be delivered or fail (`rd_kafka_flush`).
    /// - Returns: true when the queue drained in time.
    public func flush(timeoutMs: Int) -> Bool {
        guard open.withLock({ $0 }) else { return false }
        return rd_kafka_flush(handle.pointer, Int32(clamping: timeoutMs)) == RD_KAFKA_RESP_ERR_NO_ERROR
    }

    /// Makes `topics` known to the producer now, without waiting: librdkafka asks for their metadata in the
    /// background, so the first records do not wait for an on-demand lookup (about a second, measured). A missing
    /// topic is reported by librdkafka's log and, after `message.timeout.ms`, by the records' delivery reports.
    public func prepare(topics: [String]) {
        preparedTopics.withLock { handles in
            guard open.withLock({ $0 }) else { return }
            for topic in topics {
                if let handle = rd_kafka_topic_new(self.handle.pointer, topic, nil) { handles.append(handle) }
            }
        }
    }

    /// The partition count of `topic`, from metadata. Asking once before the first message also spares that
    /// message the metadata lookup librdkafka would otherwise make on first use.
    /// - Throws: ``KafkaError`` on timeout or when the topic does not exist.
    public func partitionCount(topic: String, timeoutMs: Int) throws(KafkaError) -> Int {
        guard open.withLock({ $0 }) else { throw .closed("producer") }
        return try RDKafkaMetadata.partitionCount(handle: handle, topic: topic, timeoutMs: timeoutMs)
    }

    /// Messages waiting in the producer queue or in flight (`rd_kafka_outq_len`).
    public var queueLength: Int {
        guard open.withLock({ $0 }) else { return 0 }
        return Int(rd_kafka_outq_len(handle.pointer))
    }

    /// Flushes up to `timeoutMs`, then fails every message still without a report (purge, error
    /// ``KafkaErrorCode/purgeQueue`` or ``KafkaErrorCode/purgeInflight``), stops the delivery-report thread and
    /// destroys the handle. Idempotent.
    public func close(timeoutMs: Int) {
        let wasOpen = open.withLock { open in
            defer { open = false }
            return open
        }
        guard wasOpen else { return }
        let rk = handle.pointer
        _ = rd_kafka_flush(rk, Int32(clamping: timeoutMs))
        _ = rd_kafka_purge(rk, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
        stopRequested.set()
        reportThreadDone.wait()
        // Purged messages get their reports on the next poll; serve them here (bounded).
        let deadline = DispatchTime.now() + .seconds(5)
        repeat {
            rd_kafka_poll(rk, 10)
        } while rd_kafka_outq_len(rk) > 0 && DispatchTime.now() < deadline
        preparedTopics.withLock { handles in
            handles.forEach { rd_kafka_topic_destroy($0) }
            handles.removeAll()
        }
        rd_kafka_destroy(rk)
        Unmanaged.passUnretained(context).release()
    }
}
