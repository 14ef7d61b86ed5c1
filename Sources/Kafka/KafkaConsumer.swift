internal import CRdKafka
import Dispatch
import Foundation
import Locking
import Synchronization

/// A Kafka consumer (one `rd_kafka_t` of type CONSUMER) with an optional dedicated poll thread.
///
/// Thread-safety: every method may be called from any thread, except that ``close()`` must not be
/// called from a delegate callback, and no method may be used concurrently with or after `close()`
/// returned (they then throw a `__DESTROY` error or return empty values).
/// A started consumer stays alive (its poll thread holds it) until `close()` is called.
public final class KafkaConsumer: Sendable {
    /// Lifecycle of the handle.
    private enum Phase {
        case open
        case closing
        case closed
    }

    /// Mutable state, under `state`.
    private struct State {
        var phase = Phase.open
        /// Signalled by the poll thread when its loop has ended; nil when never started.
        var pollThreadDone: DispatchSemaphore?
    }

    // Teardown order (close): stop and join the poll thread → rd_kafka_consumer_close (final revoke,
    // delegate still reachable through `context`) → rd_kafka_destroy → clear the delegate →
    // release the context's retain taken at creation.
    /// The C handle, destroyed in ``close()``.
    let handle: RDKafkaHandle
    /// Callback context (opaque of the handle); outlives the handle.
    private let context: RDKafkaCallbackContext
    private let state = Locked(State())
    private let stopRequested = Atomic<Bool>(false)
    /// Whether the group may use librdkafka's (cooperative-)sticky assignor; see ``close()``.
    private let mayUseStickyAssignor: Bool

    /// Creates the consumer handle with the given properties.
    ///
    /// Adds `enable.partition.eof=false` unless given; never changes offset-store or commit settings.
    /// `logHandler` receives librdkafka's log lines (from its internal threads); `statsHandler` the raw
    /// statistics JSON (set `statistics.interval.ms` to enable them).
    /// - Throws: ``KafkaError`` naming the property librdkafka refused, or why the handle could not be created.
    public init(
        config: KafkaConfig, logHandler: (@Sendable (KafkaLogLevel, String) -> Void)? = nil,
        statsHandler: (@Sendable (String) -> Void)? = nil
    ) throws(KafkaError) {
        var config = config
        if config["enable.partition.eof"] == nil {
            config["enable.partition.eof"] = "false"
        }
        let context = RDKafkaCallbackContext(logHandler: logHandler, statsHandler: statsHandler)
        self.handle = try RDKafkaClientFactory.make(.consumer, config: config, context: context) { conf in
            rd_kafka_conf_set_rebalance_cb(conf, rdKafkaRebalanceCallback)
        }
        self.context = context
        mayUseStickyAssignor = config["partition.assignment.strategy"]?.contains("sticky") ?? false
        rd_kafka_poll_set_consumer(handle.pointer)
        context.consumerState.withLock { $0.consumer = self }
    }

    deinit {
        close()
    }

    /// Whether the handle may still be used.
    var isOpen: Bool {
        state.withLock { $0.phase == .open }
    }

    /// Whether the handle exists: open, or closing (the final revoke inside `rd_kafka_consumer_close` may still
    /// store and commit offsets).
    var handleExists: Bool {
        state.withLock { $0.phase != .closed }
    }

    /// Subscribes to the topics (group membership; assignments arrive through the delegate).
    /// - Throws: ``KafkaError`` when librdkafka rejects the subscription.
    public func subscribe(topics: [String]) throws(KafkaError) {
        guard isOpen else { throw .closed("consumer") }
        let code = RDKafkaPartitionList.with(topics.map { KafkaTopicPartition(topic: $0, partition: -1) }) {
            rd_kafka_subscribe(handle.pointer, $0)
        }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw .from(code, "subscribe to \(topics)")
        }
    }

    /// Assigns partitions manually, starting at the given offsets (``KafkaOffset/beginning`` etc.).
    /// - Throws: ``KafkaError`` when librdkafka rejects the assignment.
    public func assign(_ partitions: [KafkaTopicPartition: Int64]) throws(KafkaError) {
        guard isOpen else { throw .closed("consumer") }
        let code = RDKafkaPartitionList.with(partitions) { rd_kafka_assign(handle.pointer, $0) }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw .from(code, "assign")
        }
    }

    /// Starts the dedicated poll thread, which until ``close()`` repeatedly waits up to `pollTimeoutMs`
    /// for a message, takes up to `maxBatch` messages without waiting, delivers them to the delegate,
    /// then calls ``KafkaConsumerDelegate/consumerDidTick(_:)``. Calling it again has no effect.
    ///
    /// The delegate is held strongly until `close()`.
    public func start(delegate: any KafkaConsumerDelegate, pollTimeoutMs: Int = 100, maxBatch: Int = 500) {
        let done = DispatchSemaphore(value: 0)
        let started = state.withLock { state -> Bool in
            guard state.phase == .open, state.pollThreadDone == nil else { return false }
            state.pollThreadDone = done
            return true
        }
        guard started else { return }
        context.consumerState.withLock { $0.delegate = delegate }
        let thread = Thread { [self] in
            runPollLoop(delegate: delegate, timeoutMs: Int32(clamping: pollTimeoutMs), maxBatch: max(1, maxBatch))
            done.signal()
        }
        thread.name = "kafka-consumer-poll"
        thread.start()
    }

    /// The poll loop of the dedicated thread.
    private func runPollLoop(delegate: any KafkaConsumerDelegate, timeoutMs: Int32, maxBatch: Int) {
        let rk = handle.pointer
        guard let queue = rd_kafka_queue_get_consumer(rk) else { return }
        defer { rd_kafka_queue_destroy(queue) }
        let buffer = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: maxBatch)
        defer { buffer.deallocate() }
        var reader = RDKafkaMessageReader()
        var messages: [KafkaMessage] = []
        messages.reserveCapacity(maxBatch)
        while !stopRequested.load(ordering: .acquiring) {
            if let first = rd_kafka_consumer_poll(rk, timeoutMs) {
                buffer[0] = first
                var count = 1
                if maxBatch > 1 {
                    let more = rd_kafka_consume_batch_queue(queue, 0, buffer + 1, maxBatch - 1)
                    count += max(0, more)
                }
                for index in 0..<count {
                    guard let message = buffer[index] else { continue }
                    if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                        messages.append(reader.read(message))
                    } else {
                        report(messageError: message, delegate: delegate)
                    }
                    rd_kafka_message_destroy(message)
                }
                if !messages.isEmpty {
                    delegate.consumer(self, didReceive: messages)
                    messages.removeAll(keepingCapacity: true)
                }
            }
            delegate.consumerDidTick(self)
        }
    }

    /// Routes an error event: fatal or non-retriable ones to the delegate, transient ones to the log.
    private func report(
        messageError message: UnsafeMutablePointer<rd_kafka_message_t>, delegate: any KafkaConsumerDelegate
    ) {
        let code = message.pointee.err
        if code == RD_KAFKA_RESP_ERR__PARTITION_EOF { return }
        var error = KafkaError(code: code.rawValue, message: String(cString: rd_kafka_message_errstr(message)))
        if code == RD_KAFKA_RESP_ERR__FATAL {
            var reason = [CChar](repeating: 0, count: 512)
            let underlying = rd_kafka_fatal_error(handle.pointer, &reason, reason.count)
            let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            error = KafkaError(code: underlying.rawValue, message: "fatal: \(text)", isRetriable: false, isFatal: true)
        }
        if error.isFatal || !error.isRetriable {
            delegate.consumer(self, didFail: error)
        } else {
            context.logHandler?(.warning, "consumer: \(error)")
        }
    }

    /// Polls once on the calling thread (without the poll thread), serving rebalance callbacks.
    /// - Returns: the next message, or nil when none arrived within `timeoutMs`.
    /// - Throws: ``KafkaError`` for an error event (partition EOF events are skipped as timeouts).
    public func poll(timeoutMs: Int) throws(KafkaError) -> KafkaMessage? {
        guard isOpen else { throw .closed("consumer") }
        guard let message = rd_kafka_consumer_poll(handle.pointer, Int32(clamping: timeoutMs)) else { return nil }
        defer { rd_kafka_message_destroy(message) }
        let code = message.pointee.err
        if code == RD_KAFKA_RESP_ERR__PARTITION_EOF { return nil }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: code.rawValue, message: String(cString: rd_kafka_message_errstr(message)))
        }
        var reader = RDKafkaMessageReader()
        return reader.read(message)
    }

    /// Pauses fetching of the partitions (thread-safe). Errors for unknown partitions are ignored.
    public func pause(_ partitions: [KafkaTopicPartition]) {
        guard isOpen, !partitions.isEmpty else { return }
        _ = RDKafkaPartitionList.with(partitions) { rd_kafka_pause_partitions(handle.pointer, $0) }
    }

    /// Resumes fetching of the partitions (thread-safe). Errors for unknown partitions are ignored.
    public func resume(_ partitions: [KafkaTopicPartition]) {
        guard isOpen, !partitions.isEmpty else { return }
        _ = RDKafkaPartitionList.with(partitions) { rd_kafka_resume_partitions(handle.pointer, $0) }
    }

    /// The current assignment (`rd_kafka_assignment`), sorted.
    public var assignment: [KafkaTopicPartition] {
        guard isOpen else { return [] }
        var list: RDKafkaPartitionList.Pointer?
        guard rd_kafka_assignment(handle.pointer, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return RDKafkaPartitionList.partitions(list).sorted()
    }

    /// The group's rebalance protocol: "COOPERATIVE", "EAGER", or "NONE" before joining / without a group.
    public var rebalanceProtocol: String {
        guard isOpen else { return "NONE" }
        return String(cString: rd_kafka_rebalance_protocol(handle.pointer))
    }

    /// Stops and joins the poll thread, closes the consumer (`rd_kafka_consumer_close`, which leaves the
    /// group and runs the final revoke through the delegate on the calling thread), then destroys the handle.
    /// Idempotent; must not be called from a delegate callback.
    public func close() {
        let done = state.withLock { state -> DispatchSemaphore?? in
            guard state.phase == .open else { return .none }
            state.phase = .closing
            return .some(state.pollThreadDone)
        }
        guard let done else { return }
        stopRequested.store(true, ordering: .releasing)
        done?.wait()
        rd_kafka_consumer_close(handle.pointer)
        // Closed before destroy: later calls see `closed` instead of a freed handle. Callers must not race
        // their own calls with close() (documented on the type); the pipeline detaches first.
        state.withLock { $0.phase = .closed }
        let assignedOnce = context.consumerState.withLock { state in
            state.delegate = nil
            return state.assignedOnce
        }
        if mayUseStickyAssignor, !assignedOnce {
            // librdkafka 2.0.2 aborts (`Assertion 'assignor_state' failed`, librdkafka issue #4312, fixed in 2.3.0)
            // when a sticky-assignor consumer that joined but never received an assignment is destroyed, e.g. on a
            // SIGTERM during the first rebalance. The group was left above; the handle (and its context) are left
            // to the process exit instead of being destroyed.
            context.logHandler?(
                .warning, "consumer closed before its first assignment: not destroying it (librdkafka issue 4312)")
            return
        }
        rd_kafka_destroy(handle.pointer)
        context.consumerState.withLock { $0.delegate = nil }
        Unmanaged.passUnretained(context).release()
    }
}
