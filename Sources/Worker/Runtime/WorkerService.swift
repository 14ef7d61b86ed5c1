import CatFee
import Foundation
import JSON
import Kafka
import Locking

/// The running worker: consumer, pipeline, producer, CatFee client and the health server, with the graceful
/// shutdown of contract.md: stop intake → finish in-flight → flush → commit acknowledged offsets → leave the group.
public final class WorkerService: Sendable {
    /// A fatal problem that ended the worker (exit status non-zero).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What happened.
        public var reason: String
        public var description: String { reason }
    }

    private struct State {
        var shutdownRequested = false
        var shutdownWaiter: CheckedContinuation<Void, Never>?
        var fatal: String?
        var kafkaUp = true
        var stopping = false
    }

    private let configuration: WorkerConfiguration
    private let logger: Logger
    /// The worker's metrics (also served on `/metrics`).
    public let metrics: WorkerMetrics
    private let state = Locked(State())
    private let healthPort = Locked<UInt16?>(nil)
    private let startHealthServer: Bool

    /// Creates the service; nothing connects until ``run()``.
    public init(
        configuration: WorkerConfiguration, logger: Logger, metrics: WorkerMetrics = WorkerMetrics(),
        startHealthServer: Bool = true
    ) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        self.startHealthServer = startHealthServer
        logger.sink.redact(configuration.secrets)
    }

    /// The port the health server listens on, once it started.
    public var boundHealthPort: UInt16? { healthPort.withLock { $0 } }

    /// Starts a graceful shutdown (idempotent; safe from any thread).
    public func requestShutdown() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.shutdownRequested = true
            defer { state.shutdownWaiter = nil }
            return state.shutdownWaiter
        }
        waiter?.resume()
    }

    /// Runs until a shutdown is requested, then shuts down within `SHUTDOWN_TIMEOUT_MS`. Throws ``Failure`` when
    /// the worker could not start or hit a fatal error.
    public func run() async throws(Failure) {
        let kafkaLog = logger.with([("component", "librdkafka")])
        let logHandler: @Sendable (KafkaLogLevel, String) -> Void = { level, line in
            kafkaLog.log(level.logLevel, line)
        }
        let client: CatFeeClient
        let producer: KafkaProducer
        let consumer: KafkaConsumer
        do {
            client = try CatFeeClient(configuration: configuration.catFee)
        } catch {
            throw Failure(reason: "cannot create the CatFee client: \(error)")
        }
        do {
            producer = try KafkaProducer(config: KafkaConfig(configuration.producerProperties), logHandler: logHandler)
        } catch {
            throw Failure(reason: "cannot create the Kafka producer: \(error)")
        }
        // The output topics' metadata is fetched in the background now, not on the first result.
        producer.prepare(topics: [configuration.pipeline.resultsTopic, configuration.pipeline.deadLetterTopic])
        let pipeline = Pipeline(
            configuration: configuration.pipeline, orders: client, publisher: producer, metrics: metrics,
            logger: logger
        ) { [self] reason in
            logger.error("fatal error: stopping; unfinished intents stay uncommitted", [("error", reason)])
            state.withLock { $0.fatal = $0.fatal ?? reason }
            requestShutdown()
        }
        do {
            consumer = try KafkaConsumer(
                config: KafkaConfig(configuration.consumerProperties), logHandler: logHandler,
                statsHandler: { [self] json in observeStatistics(json) })
            pipeline.attach(consumer)
            try consumer.subscribe(topics: [configuration.intentsTopic])
        } catch {
            producer.close(timeoutMs: 1000)
            throw Failure(reason: "cannot start the Kafka consumer: \(error)")
        }
        let delegate = FailureWatchingDelegate(pipeline: pipeline) { [self] error in
            logger.error("fatal Kafka error: stopping", [("error", error.description)])
            state.withLock { $0.fatal = "fatal Kafka error: \(error)" }
            requestShutdown()
        }
        consumer.start(delegate: delegate)

        var health: HealthServer?
        if startHealthServer {
            do {
                health = try HealthServer(host: configuration.httpListen.host, port: configuration.httpListen.port) {
                    [self] path in respond(path, pipeline: pipeline)
                }
                healthPort.withLock { $0 = health?.port }
            } catch {
                logger.error("cannot start the health server", [("error", String(describing: error))])
                state.withLock { $0.fatal = "cannot start the health server: \(error)" }
                requestShutdown()
            }
        }
        let balancePoller = configuration.accountPollInterval.map { interval in
            Task { [metrics, logger] in
                while !Task.isCancelled {
                    switch await client.account() {
                    case .success(let data):
                        if let balance = data["balance"]?.doubleValue { metrics.accountBalance.set(balance) }
                    case .failure(let error):
                        logger.debug("account balance poll failed", [("error", String(describing: error))])
                    }
                    try? await Task.sleep(for: interval)
                }
            }
        }
        let gauges = Task { [metrics] in
            while !Task.isCancelled {
                metrics.producerQueue.set(Double(producer.queueLength))
                try? await Task.sleep(for: .seconds(1))
            }
        }
        logger.info(
            "catfee-worker started",
            [
                ("intents_topic", configuration.intentsTopic), ("group", configuration.groupID),
                ("max_in_flight", String(configuration.pipeline.maxInFlight)),
            ])

        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.shutdownRequested { return true }
                state.shutdownWaiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }

        // Graceful shutdown, each step bounded by what is left of SHUTDOWN_TIMEOUT_MS.
        state.withLock { $0.stopping = true }
        let start = ContinuousClock.now
        let deadline = start + configuration.shutdownTimeout
        let reserve = min(configuration.shutdownTimeout / 4, .seconds(5))
        logger.info("shutting down: intake stopped, draining in-flight intents")
        balancePoller?.cancel()
        gauges.cancel()
        pipeline.stopIntake()
        let drained = await pipeline.drain(until: deadline - reserve)
        if !drained {
            logger.warning(
                "drain ended with intents unfinished (bound reached or CatFee account blocked): they stay "
                    + "uncommitted and will be redone")
            pipeline.abandon()
        }
        let flushMs = max(0, Int(Pipeline.seconds(deadline - .now - reserve / 2) * 1000))
        if !producer.flush(timeoutMs: flushMs) {
            logger.warning("producer flush bound reached")
        }
        pipeline.commitAll(reason: "shutdown", retryUntil: deadline - reserve / 4)
        pipeline.detach()
        consumer.close()
        producer.close(timeoutMs: max(0, Int(Pipeline.seconds(deadline - .now) * 1000)))
        client.shutdown()
        health?.stop()
        logger.info(
            "catfee-worker stopped", [("duration_ms", String(Int(Pipeline.seconds(.now - start) * 1000)))])
        if let fatal = state.withLock({ $0.fatal }) { throw Failure(reason: fatal) }
    }

    private func respond(_ path: String, pipeline: Pipeline) -> HealthServer.Response {
        switch path {
        case "/healthz":
            let status = pipeline.status
            let age = ContinuousClock.now - status.lastTick
            return age < .seconds(30)
                ? .init(status: 200, body: "ok\n")
                : .init(status: 503, body: "poll loop stalled for \(Int(Pipeline.seconds(age))) s\n")
        case "/readyz":
            let status = pipeline.status
            let (kafkaUp, stopping) = state.withLock { ($0.kafkaUp, $0.stopping) }
            var problems: [String] = []
            if !status.joined { problems.append("consumer group not joined yet") }
            if !kafkaUp { problems.append("no Kafka broker reachable") }
            if let reason = status.accountBlockedReason { problems.append("CatFee account blocked: \(reason)") }
            if stopping { problems.append("shutting down") }
            return problems.isEmpty
                ? .init(status: 200, body: "ready\n")
                : .init(status: 503, body: problems.joined(separator: "\n") + "\n")
        case "/metrics":
            return .init(
                status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.registry.render())
        default:
            return .init(status: 404, body: "not found\n")
        }
    }

    /// Reads librdkafka's statistics JSON: per-partition consumer lag and whether any broker is up.
    private func observeStatistics(_ json: String) {
        guard let statistics = try? JSONParser.parse(json) else { return }
        if case .object(let brokers)? = statistics["brokers"] {
            let up = brokers.contains { $0.1["state"]?.stringValue == "UP" && $0.1["nodeid"]?.integerValue ?? -1 >= 0 }
            state.withLock { $0.kafkaUp = up || brokers.isEmpty }
        }
        guard case .object(let topics)? = statistics["topics"] else { return }
        metrics.consumerLag.reset()
        for (topic, info) in topics {
            guard case .object(let partitions)? = info["partitions"] else { continue }
            for (partition, details) in partitions where partition != "-1" {
                guard let lag = details["consumer_lag"]?.integerValue, lag >= 0 else { continue }
                metrics.consumerLag.set(Double(lag), [topic, partition])
            }
        }
    }
}

/// Forwards every callback to the pipeline and turns fatal consumer errors into a shutdown.
final class FailureWatchingDelegate: KafkaConsumerDelegate, Sendable {
    private let pipeline: Pipeline
    private let onFatal: @Sendable (KafkaError) -> Void

    init(pipeline: Pipeline, onFatal: @escaping @Sendable (KafkaError) -> Void) {
        self.pipeline = pipeline
        self.onFatal = onFatal
    }

    func consumer(_ consumer: KafkaConsumer, didReceive messages: [KafkaMessage]) {
        pipeline.consumer(consumer, didReceive: messages)
    }
    func consumer(_ consumer: KafkaConsumer, didAssign partitions: [KafkaTopicPartition]) {
        pipeline.consumer(consumer, didAssign: partitions)
    }
    func consumer(_ consumer: KafkaConsumer, willRevoke partitions: [KafkaTopicPartition], lost: Bool) {
        pipeline.consumer(consumer, willRevoke: partitions, lost: lost)
    }
    func consumerDidTick(_ consumer: KafkaConsumer) { pipeline.consumerDidTick(consumer) }
    func consumer(_ consumer: KafkaConsumer, didFail error: KafkaError) {
        pipeline.consumer(consumer, didFail: error)
        if error.isFatal { onFatal(error) }
    }
}

extension KafkaLogLevel {
    var logLevel: LogLevel {
        switch self {
        case .debug: .debug
        case .info: .info
        case .warning: .warning
        case .error: .error
        }
    }
}
