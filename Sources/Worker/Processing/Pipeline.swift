import CatFee
import Foundation
public import Kafka
import Locking

/// Turns consumed intents into CatFee orders and published results, and decides which offsets may be committed.
///
/// The consumer's poll thread calls the ``KafkaConsumerDelegate`` methods; API calls and publishing run as tasks
/// on the cooperative pool, never on the poll thread. All shared state sits behind one lock:
/// - per assigned partition, a ``PartitionOffsetTracker`` and an assignment epoch (completions from an earlier
///   assignment never move a later one's offsets);
/// - a ``KeyScheduler`` so that intents with the same key never run at once;
/// - the in-flight count that pauses and resumes the assigned partitions (backpressure without leaving the group).
///
/// An offset is stored for the next auto-commit only when its own result (or dead letter) and every lower one are
/// acknowledged by the broker; revoke and shutdown commit synchronously.
public final class Pipeline: KafkaConsumerDelegate, Sendable {
    struct WorkItem: Sendable {
        var id: UInt64
        var message: KafkaMessage
        var epoch: UInt64
        var key: Result<String, DeadLetterReason>
    }

    struct PartitionState {
        var epoch: UInt64
        var tracker = PartitionOffsetTracker()
        /// Accepted items of this partition not yet finished (running or waiting behind their key).
        var outstanding = 0
        var revoking = false
    }

    struct State {
        var partitions: [KafkaTopicPartition: PartitionState] = [:]
        var scheduler = KeyScheduler<WorkItem>()
        /// Accepted and not finished: running, ready, or waiting behind their key. Drives pausing.
        var inFlight = 0
        /// Items holding a processing slot now (validation and the API call); never above `maxInFlight`. Publishing
        /// the answer does not hold a slot: the broker's acknowledgement would otherwise stretch every slot's time.
        var running = 0
        /// Items free to run (their key is theirs) waiting for a processing slot, in arrival order.
        var ready: [WorkItem] = []
        var readyHead = 0
        var nextEpoch: UInt64 = 1
        var nextItem: UInt64 = 1
        var backpressurePaused = false
        var accountPaused = false
        var intakeStopped = false
        var abandoning = false
        /// Items that have their final answer and are publishing it: they can finish even while the account is
        /// blocked.
        var publishing = 0
        var joined = false
        var tasks: [UInt64: Task<Void, Never>] = [:]
        var lastTick = ContinuousClock.now

        /// Runs `body` on the state of `partition` in place; nil when the partition is not assigned.
        ///
        /// In place matters: a copy taken out of the dictionary (`if var entry = partitions[p]`) shares the offset
        /// tracker's buffer, so the tracker's next change copies all of it, one copy per message.
        mutating func withPartition<Result>(
            _ partition: KafkaTopicPartition, _ body: (inout PartitionState) -> Result?
        ) -> Result? {
            guard let index = partitions.index(forKey: partition) else { return nil }
            return body(&partitions.values[index])
        }
    }

    private let configuration: PipelineConfiguration
    private let orders: any OrderPlacing
    private let publisher: any RecordPublishing
    private let metrics: WorkerMetrics
    private let logger: Logger
    private let gate = AccountGate()
    private let state = Locked(State())
    private let control = Locked<(any ConsumerControl)?>(nil)
    private let onFatal: @Sendable (String) -> Void

    /// Creates a pipeline. Attach the consumer with ``attach(_:)`` before it starts polling.
    public init(
        configuration: PipelineConfiguration,
        orders: any OrderPlacing,
        publisher: any RecordPublishing,
        metrics: WorkerMetrics,
        logger: Logger,
        onFatal: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.onFatal = onFatal
        self.configuration = configuration
        self.orders = orders
        self.publisher = publisher
        self.metrics = metrics
        self.logger = logger
    }

    /// Sets the consumer whose partitions this pipeline pauses, resumes and stores offsets for.
    public func attach(_ consumer: any ConsumerControl) {
        control.withLock { $0 = consumer }
    }

    private var consumer: (any ConsumerControl)? { control.withLock { $0 } }

    /// Stops every further use of the consumer (before it is closed). Every pause, resume and offset store runs
    /// under the pipeline's lock, so once this returns none is in progress.
    public func detach() {
        state.withLock { _ in control.withLock { $0 = nil } }
    }

    // MARK: - Status

    /// A snapshot of the pipeline for health checks and tests.
    public struct Status: Sendable {
        /// Whether the group was joined (an assignment arrived, possibly empty).
        public var joined: Bool
        /// Partitions currently assigned.
        public var assigned: [KafkaTopicPartition]
        /// Intents accepted and not yet finished.
        public var inFlight: Int
        /// Why the account is blocked, or nil.
        public var accountBlockedReason: String?
        /// When the poll loop last ticked.
        public var lastTick: ContinuousClock.Instant
        /// Whether partitions are paused for backpressure.
        public var backpressurePaused: Bool
    }

    /// The current status.
    public var status: Status {
        let reason = gate.blockedReason
        return state.withLock { state in
            Status(
                joined: state.joined,
                assigned: state.partitions.keys.sorted(),
                inFlight: state.inFlight,
                accountBlockedReason: reason,
                lastTick: state.lastTick,
                backpressurePaused: state.backpressurePaused
            )
        }
    }

    // MARK: - KafkaConsumerDelegate (poll thread)

    public func consumer(_ consumer: KafkaConsumer, didReceive messages: [KafkaMessage]) {
        metrics.intentsConsumed.increment(by: Double(messages.count))
        var runnable: [WorkItem] = []
        state.withLock { state in
            for message in messages {
                let partition = message.topicPartition
                guard !state.intakeStopped else { continue }
                let accepted: UInt64? = state.withPartition(partition) { entry in
                    guard !entry.revoking, entry.tracker.began(message.offset) else { return nil }
                    entry.outstanding += 1
                    return entry.epoch
                }
                guard let epoch = accepted else { continue }
                state.inFlight += 1
                let key = IntentDecoder.clientOrderID(fromKey: message.key)
                let item = WorkItem(id: state.nextItem, message: message, epoch: epoch, key: key)
                state.nextItem += 1
                switch key {
                case .success(let clientOrderID):
                    if let ready = state.scheduler.submit(item, key: clientOrderID) { runnable.append(ready) }
                case .failure:
                    runnable.append(item)
                }
            }
            if !state.backpressurePaused, state.inFlight >= configuration.pauseAt {
                state.backpressurePaused = true
                applyPause(&state)
            }
            for item in runnable { spawn(item, in: &state) }
            metrics.inFlight.set(Double(state.inFlight))
        }
    }

    public func consumer(_ consumer: KafkaConsumer, didAssign partitions: [KafkaTopicPartition]) {
        metrics.rebalances.increment(["assign"])
        state.withLock { state in
            state.joined = true
            for partition in partitions {
                state.partitions[partition] = PartitionState(epoch: state.nextEpoch)
                state.nextEpoch += 1
            }
            if state.backpressurePaused || state.accountPaused || state.intakeStopped {
                self.consumer?.pause(partitions)
                metrics.pausedPartitions.set(Double(state.partitions.count))
            }
        }
        logger.info("partitions assigned", [("partitions", Pipeline.describe(partitions))])
    }

    public func consumer(_ consumer: KafkaConsumer, willRevoke partitions: [KafkaTopicPartition], lost: Bool) {
        metrics.rebalances.increment([lost ? "lost" : "revoke"])
        let revoked = Set(partitions)
        state.withLock { state in
            for partition in partitions { state.partitions[partition]?.revoking = true }
            // Work not yet started for the revoked partitions is given up: the next owner reads it again.
            Pipeline.dropNotStarted(in: &state) { revoked.contains($0.message.topicPartition) }
        }
        if !lost {
            let deadline = ContinuousClock.now + configuration.revokeTimeout
            while ContinuousClock.now < deadline {
                let (busy, abandoning, publishing) = state.withLock { state in
                    (
                        partitions.contains { (state.partitions[$0]?.outstanding ?? 0) > 0 }, state.abandoning,
                        state.publishing
                    )
                }
                if !busy || abandoning { break }
                // While CatFee refuses the account the revoked partitions' intents cannot finish: let them go now.
                if gate.blockedReason != nil, publishing == 0 { break }
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
        let offsets = state.withLock { state -> [KafkaTopicPartition: Int64] in
            var offsets: [KafkaTopicPartition: Int64] = [:]
            for partition in partitions {
                guard let entry = state.partitions.removeValue(forKey: partition) else { continue }
                if let committable = entry.tracker.committable { offsets[partition] = committable }
                if entry.outstanding > 0 {
                    logger.warning(
                        "revoke bound reached: in-flight intents of the partition stay uncommitted",
                        [("partition", partition.description), ("outstanding", String(entry.outstanding))]
                    )
                }
            }
            metrics.pausedPartitions.set(
                state.backpressurePaused || state.accountPaused ? Double(state.partitions.count) : 0)
            return offsets
        }
        if lost {
            logger.warning(
                "partitions lost: nothing is committed for them", [("partitions", Pipeline.describe(partitions))])
            return
        }
        // The callback's own consumer: during close() the pipeline is detached, but the final revoke may still
        // commit through the consumer that is closing.
        // A coordinator that is moving (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS ...) may accept the commit a
        // moment later: retry for one second. Not longer: while this callback runs the group waits for this member,
        // and an error that only the rejoin can clear would otherwise hold every member back.
        commit(offsets, reason: "revoke", using: consumer, retryUntil: .now + .seconds(1))
        logger.info("partitions revoked", [("partitions", Pipeline.describe(partitions))])
    }

    public func consumerDidTick(_ consumer: KafkaConsumer) {
        state.withLock { $0.lastTick = .now }
    }

    public func consumer(_ consumer: KafkaConsumer, didFail error: KafkaError) {
        logger.error("consumer error", [("error", error.description)])
    }

    // MARK: - Shutdown

    /// Stops taking new intents: every assigned partition is paused, new messages are ignored, and buffered intents
    /// that have not started are given up; all of them stay uncommitted and are read again by the next owner. Only
    /// the intents already processing are left to finish.
    public func stopIntake() {
        state.withLock { state in
            state.intakeStopped = true
            consumer?.pause(Array(state.partitions.keys))
            Pipeline.dropNotStarted(in: &state) { _ in true }
            metrics.inFlight.set(Double(state.inFlight))
        }
    }

    /// Removes the accepted items matching `shouldDrop` that have not started (waiting behind their key or for a
    /// processing slot); their offsets stay uncommitted. Must hold the lock.
    private static func dropNotStarted(in state: inout State, where shouldDrop: (WorkItem) -> Bool) {
        var dropped = state.scheduler.removeWaiting(where: shouldDrop)
        let pending = state.ready[state.readyHead...]
        let readyDropped = pending.filter(shouldDrop)
        state.ready = pending.filter { !shouldDrop($0) }
        state.readyHead = 0
        for item in readyDropped {
            // A ready item holds its key in the scheduler: release it so that the key's next item (never a dropped
            // one: those were removed above) can run.
            if case .success(let key) = item.key, let next = state.scheduler.complete(key: key) {
                state.ready.append(next)
            }
        }
        dropped.append(contentsOf: readyDropped)
        for item in dropped {
            state.inFlight -= 1
            state.partitions[item.message.topicPartition]?.outstanding -= 1
        }
    }

    /// Waits until no intent is in flight or `deadline` passes; returns whether everything finished. While the CatFee
    /// account is blocked it returns false as soon as no intent is publishing, since the others cannot finish.
    public func drain(until deadline: ContinuousClock.Instant) async -> Bool {
        while ContinuousClock.now < deadline {
            let (idle, publishing) = state.withLock { ($0.inFlight == 0, $0.publishing) }
            if idle { return true }
            // While CatFee refuses the account only the intents already publishing can finish: waiting for the
            // others would only delay the exit.
            if gate.blockedReason != nil, publishing == 0 { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return state.withLock { $0.inFlight == 0 }
    }

    /// Gives up unfinished work: its tasks are cancelled, and its offsets stay uncommitted.
    public func abandon() {
        let tasks = state.withLock { state in
            state.abandoning = true
            return Array(state.tasks.values)
        }
        for task in tasks { task.cancel() }
    }

    /// Commits, synchronously, every partition's committable offset, retrying retriable failures until
    /// `deadline` (the poll thread keeps serving a rebalance meanwhile).
    public func commitAll(reason: String, retryUntil deadline: ContinuousClock.Instant? = nil) {
        let offsets = state.withLock { state in
            state.partitions.compactMapValues { $0.tracker.committable }
        }
        commit(offsets, reason: reason, retryUntil: deadline)
    }

    /// Commits synchronously; retriable failures (a rebalance in progress, the coordinator moving) are retried
    /// until `deadline`. Returns whether the commit succeeded.
    @discardableResult
    private func commit(
        _ offsets: [KafkaTopicPartition: Int64], reason: String, using target: (any ConsumerControl)? = nil,
        retryUntil deadline: ContinuousClock.Instant? = nil
    ) -> Bool {
        guard !offsets.isEmpty, let consumer = target ?? consumer else { return true }
        while true {
            let start = ContinuousClock.now
            do {
                try consumer.commit(offsets)
                metrics.commits.increment(["ok"])
                metrics.commitLatency.observe(Pipeline.seconds(ContinuousClock.now - start))
                logger.debug("committed", [("reason", reason), ("offsets", Pipeline.describe(offsets))])
                return true
            } catch {
                metrics.commits.increment(["error"])
                metrics.commitLatency.observe(Pipeline.seconds(ContinuousClock.now - start))
                if let deadline, error.isRetriable, ContinuousClock.now + .milliseconds(200) < deadline {
                    logger.info("commit failed, retrying", [("reason", reason), ("error", error.description)])
                    Thread.sleep(forTimeInterval: 0.2)
                    continue
                }
                logger.warning(
                    "commit failed; uncommitted intents will be redone (harmlessly) by the next owner",
                    [("reason", reason), ("error", error.description)])
                return false
            }
        }
    }

    // MARK: - Processing

    /// Runs `item` now if a processing slot is free, otherwise queues it (a hard bound on concurrent work).
    private func spawn(_ item: WorkItem, in state: inout State) {
        guard !state.abandoning else { return }
        guard state.running < configuration.maxInFlight else {
            state.ready.append(item)
            return
        }
        state.running += 1
        state.tasks[item.id] = Task { [self] in
            let (acknowledged, holdsSlot) = await process(item)
            finish(item, acknowledged: acknowledged, holdsSlot: holdsSlot)
        }
    }

    /// Starts queued items while slots are free (must hold the lock).
    private func startReady(in state: inout State) {
        while state.running < configuration.maxInFlight, state.readyHead < state.ready.count, !state.abandoning {
            let item = state.ready[state.readyHead]
            state.readyHead += 1
            spawn(item, in: &state)
        }
        if state.readyHead == state.ready.count {
            state.ready.removeAll(keepingCapacity: true)
            state.readyHead = 0
        } else if state.readyHead > 4096 {
            state.ready.removeFirst(state.readyHead)
            state.readyHead = 0
        }
    }

    /// Processes one item to an acknowledged record. Returns whether the record was acknowledged (false when the
    /// item was abandoned at shutdown) and whether the item still holds its processing slot (it gives the slot up
    /// once its answer is final, before publishing).
    private func process(_ item: WorkItem) async -> (acknowledged: Bool, holdsSlot: Bool) {
        let message = item.message
        let record: OutgoingRecord
        var resultForMetrics: IntentResult?
        var deadLetterReason: DeadLetterReason?
        switch item.key {
        case .failure(let reason):
            deadLetterReason = reason
            record = .deadLetter(of: message, reason: reason, topic: configuration.deadLetterTopic)
        case .success(let clientOrderID):
            switch IntentDecoder.decode(value: message.value, clientOrderID: clientOrderID) {
            case .deadLetter(let reason):
                deadLetterReason = reason
                record = .deadLetter(of: message, reason: reason, topic: configuration.deadLetterTopic)
            case .rejected(let failure):
                let result = IntentResult.rejected(
                    source: .validation, code: failure.code, message: failure.message, httpStatus: nil)
                resultForMetrics = result
                record = .result(
                    of: message, clientOrderID: clientOrderID, result: result, attempts: 0,
                    topic: configuration.resultsTopic, processedAtMs: Pipeline.nowMs())
            case .intent(let intent):
                guard let (result, attempts) = await order(intent, message: message) else { return (false, true) }
                resultForMetrics = result
                record = .result(
                    of: message, clientOrderID: clientOrderID, result: result, attempts: attempts,
                    topic: configuration.resultsTopic, processedAtMs: Pipeline.nowMs())
            }
        }
        if let reason = deadLetterReason {
            logger.warning(
                "dead-lettering a message that cannot become an API call",
                [("reason", reason.code), ("detail", reason.detail)] + Pipeline.fields(of: message))
        }
        state.withLock { state in
            state.running -= 1
            state.publishing += 1
            startReady(in: &state)
        }
        let published = await publishUntilAcknowledged(record, message: message)
        state.withLock { $0.publishing -= 1 }
        guard published else { return (false, false) }
        noteAcknowledged(record, message: message)
        if let reason = deadLetterReason { metrics.deadLetters.increment([reason.code]) }
        if let result = resultForMetrics {
            metrics.results.increment([result.status])
            if case .ordered(_, true) = result { metrics.duplicates.increment() }
        }
        return (true, false)
    }

    /// Calls CatFee until the intent has a final answer. Returns nil when abandoned.
    private func order(_ intent: Intent, message: KafkaMessage) async -> (IntentResult, Int)? {
        let request = intent
        var attempts = 0
        var transientFailures = 0
        var skewRetried = false
        var probing = false
        var probes = 0
        let log = logger.with([("client_order_id", intent.clientOrderID)] + Pipeline.fields(of: message))
        while true {
            if Task.isCancelled { return nil }
            if !probing { await gate.waitUntilOpen() }
            if Task.isCancelled { return nil }
            let attempt = await orders.placeOrder(request)
            attempts += attempt.requestsSent
            metrics.apiRequests.increment([Pipeline.statusClass(attempt.httpStatus)], by: Double(attempt.requestsSent))
            if attempt.requestsSent > 1 { metrics.apiRetries.increment(["connection_reused_dead"]) }
            metrics.apiLatency.observe(Pipeline.seconds(attempt.latency))
            if probing, !attempt.outcome.isAccountWide {
                probing = false
                gate.open()
                accountUnblocked()
                log.info("CatFee account usable again: resuming")
            }
            switch attempt.outcome {
            case .ordered(let order, let duplicate):
                return (.ordered(order: order, duplicate: duplicate), attempts)
            case .rejected(let refusal):
                log.info(
                    "CatFee refused the intent", [("code", refusal.code), ("attempt", String(attempts))])
                return (
                    .rejected(
                        source: .api, code: refusal.code, message: refusal.message, httpStatus: refusal.httpStatus),
                    attempts
                )
            case .clockSkew(let text):
                metrics.apiRetries.increment(["clock_skew"])
                if !skewRetried {
                    skewRetried = true
                    log.warning(
                        "timestamp outside CatFee's window: retrying at once with the corrected clock",
                        [("detail", text)])
                    continue
                }
                transientFailures += 1
                await sleep(configuration.apiRetry.delay(forAttempt: transientFailures))
            case .transient(let failure):
                transientFailures += 1
                metrics.apiRetries.increment([failure.metricReason])
                log.log(
                    transientFailures > 3 ? .warning : .debug,
                    "transient CatFee failure: retrying with the same client_order_id",
                    [("reason", failure.logDescription), ("attempt", String(attempts))])
                // A 429's Retry-After is enforced process-wide by the client's request gate; this is the backoff.
                await sleep(configuration.apiRetry.delay(forAttempt: transientFailures))
            case .accountBlocked(let problem):
                if probing || gate.close(reason: problem.logDescription) {
                    if !probing {
                        probing = true
                        accountBlocked(problem)
                    }
                    probes += 1
                    log.error(
                        "CatFee refuses the account: consumption paused, probing again",
                        [("reason", problem.logDescription), ("probe", String(probes))])
                    // Equal jitter: probes stay slow (at least half the ceiling) but replicas do not align.
                    let ceiling = configuration.accountProbe.ceiling(forAttempt: probes)
                    await sleep(ceiling / 2 + configuration.accountProbe.delay(forAttempt: probes) / 2)
                }
            // Otherwise another task probes; this one waits at the gate on the next turn.
            }
        }
    }

    /// Notes the broker's acknowledgement of `message`'s record: the intent's age (from its own Kafka timestamp) and,
    /// at debug level, one line per record, which `catfee-bench` reads to time each intent to its acknowledged result.
    private func noteAcknowledged(_ record: OutgoingRecord, message: KafkaMessage) {
        if let timestampMs = message.timestampMs, timestampMs > 0 {
            metrics.intentLatency.observe(Double(max(0, Pipeline.nowMs() - timestampMs)) / 1000)
        }
        guard logger.level <= .debug else { return }
        var fields = Pipeline.fields(of: message)
        if let key = message.key { fields.append(("key", String(decoding: key, as: UTF8.self))) }
        logger.debug("record acknowledged", [("to", record.topic)] + fields)
    }

    private func publishUntilAcknowledged(_ record: OutgoingRecord, message: KafkaMessage) async -> Bool {
        var failures = 0
        while true {
            let result = await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<Void, KafkaError>, Never>) in
                publisher.publish(record) { continuation.resume(returning: $0) }
            }
            switch result {
            case .success: return true
            case .failure(let error):
                failures += 1
                metrics.publishFailures.increment()
                logger.warning(
                    "publishing failed; retrying the saved record (no new API call)",
                    [("topic", record.topic), ("error", error.description), ("attempt", String(failures))]
                        + Pipeline.fields(of: message))
                if error.isFatal {
                    // The idempotent producer cannot go on (librdkafka's fatal error): only a new process can.
                    onFatal("fatal producer error: \(error)")
                }
                if Task.isCancelled { return false }
                await sleep(configuration.publishRetry.delay(forAttempt: failures))
                if Task.isCancelled { return false }
            }
        }
    }

    private func finish(_ item: WorkItem, acknowledged: Bool, holdsSlot: Bool) {
        state.withLock { state in
            state.tasks[item.id] = nil
            if holdsSlot { state.running -= 1 }
            state.inFlight -= 1
            let partition = item.message.topicPartition
            let committable: Int64? = state.withPartition(partition) { entry in
                guard entry.epoch == item.epoch else { return nil }
                entry.outstanding -= 1
                return acknowledged ? entry.tracker.finished(item.message.offset) : nil
            }
            if let committable {
                do {
                    let failures = try consumer?.storeOffsets([partition: committable]) ?? [:]
                    for (failed, error) in failures {
                        logger.warning(
                            "storing an offset failed",
                            [("partition", failed.description), ("error", error.description)])
                    }
                } catch {
                    logger.warning(
                        "storing an offset failed",
                        [("partition", partition.description), ("error", String(describing: error))])
                }
            }
            if case .success(let key) = item.key, let next = state.scheduler.complete(key: key) {
                spawn(next, in: &state)
            }
            startReady(in: &state)
            if state.backpressurePaused, state.inFlight <= configuration.resumeBelow {
                state.backpressurePaused = false
                applyPause(&state)
            }
            metrics.inFlight.set(Double(state.inFlight))
        }
    }

    // MARK: - Pausing

    /// Pauses or resumes every assigned partition to match the state (must hold the lock).
    private func applyPause(_ state: inout State) {
        let partitions = Array(state.partitions.keys)
        if state.backpressurePaused || state.accountPaused || state.intakeStopped {
            consumer?.pause(partitions)
            metrics.pausedPartitions.set(Double(partitions.count))
        } else {
            consumer?.resume(partitions)
            metrics.pausedPartitions.set(0)
        }
    }

    private func accountBlocked(_ problem: AccountProblem) {
        metrics.accountBlocked.set(1, [problem.metricReason])
        state.withLock { state in
            state.accountPaused = true
            applyPause(&state)
        }
    }

    private func accountUnblocked() {
        metrics.accountBlocked.reset()
        state.withLock { state in
            state.accountPaused = false
            applyPause(&state)
        }
    }

    // MARK: - Helpers

    private func sleep(_ duration: Duration) async {
        try? await Task.sleep(for: duration)
    }

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func statusClass(_ status: Int?) -> String {
        guard let status else { return "transport" }
        return "\(status / 100)xx"
    }

    static func fields(of message: KafkaMessage) -> [(String, String)] {
        [("topic", message.topic), ("partition", String(message.partition)), ("offset", String(message.offset))]
    }

    static func describe(_ partitions: [KafkaTopicPartition]) -> String {
        partitions.sorted().map(\.description).joined(separator: ",")
    }

    static func describe(_ offsets: [KafkaTopicPartition: Int64]) -> String {
        offsets.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value)" }.joined(separator: ",")
    }
}

extension OrderOutcome {
    /// Whether this outcome concerns the whole account rather than one intent.
    var isAccountWide: Bool {
        if case .accountBlocked = self { return true }
        return false
    }
}

extension TransientFailure {
    var metricReason: String {
        switch self {
        case .network: "network"
        case .timeout: "timeout"
        case .server: "server_error"
        case .rateLimited: "rate_limited"
        case .malformedResponse: "malformed_response"
        }
    }
}

extension AccountProblem {
    var metricReason: String {
        switch self {
        case .unauthorized: "unauthorized"
        case .insufficientBalance: "insufficient_balance"
        }
    }
}

extension TransientFailure {
    /// A short description for logs (never contains credentials).
    var logDescription: String {
        switch self {
        case .network(let detail): "network error: \(detail)"
        case .timeout: "timeout"
        case .server(let status, let message): "HTTP \(status): \(message)"
        case .rateLimited(let retryAfter): "rate limited (Retry-After \(retryAfter.map { "\($0)" } ?? "absent"))"
        case .malformedResponse(let detail): "malformed response: \(detail)"
        }
    }
}

extension AccountProblem {
    /// A short description for logs and readiness (never contains credentials).
    var logDescription: String {
        switch self {
        case .unauthorized: "unauthorized (\(code)): \(message)"
        case .insufficientBalance: "insufficient balance (\(code)): \(message)"
        }
    }
}
