import CatFeeSimulator
import Foundation
import JSON
import Kafka
import Locking
import Synchronization

/// Publishes intents with an idempotent producer of the benchmark's own.
final class IntentPublisher: Sendable {
    let producer: KafkaProducer
    let topic: String

    init(bootstrap: String, topic: String, lingerMs: Int) throws {
        producer = try KafkaProducer(
            config: KafkaConfig([
                "bootstrap.servers": bootstrap, "linger.ms": String(lingerMs), "socket.nagle.disable": "true",
                "queue.buffering.max.messages": "2000000", "queue.buffering.max.kbytes": "2097151",
            ]))
        self.topic = topic
    }

    /// Publishes one intent per key, all at once or `rate` per second, waits for every acknowledgement, and
    /// returns each partition's end offset. `willSend` runs right before each key is handed to the producer and
    /// `delivered` with each key's partition and offset once the broker acknowledged it; a key in `placed` goes to
    /// that partition, the others where the partitioner puts them.
    func publish(
        keys: [String], rate: Int? = nil, placed: [String: Int32] = [:], willSend: (String) -> Void = { _ in },
        delivered: (@Sendable (String, Int32, Int64) -> Void)? = nil
    ) throws -> [Int32: Int64] {
        let ends = Locked<[Int32: Int64]>([:])
        let failure = Locked<KafkaError?>(nil)
        let pending = DispatchGroup()
        let start = ContinuousClock.now
        for (index, key) in keys.enumerated() {
            if let rate {
                let wait = start + .microseconds(index * 1_000_000 / rate) - .now
                if wait > .zero { Thread.sleep(forTimeInterval: ScenarioRunner.seconds(wait)) }
            }
            pending.enter()
            willSend(key)
            producer.send(topic: topic, partition: placed[key], key: Array(key.utf8), value: Self.value(for: key)) {
                result in
                switch result {
                case .success(let report):
                    ends.withLock { $0[report.partition] = max($0[report.partition] ?? 0, report.offset + 1) }
                    delivered?(key, report.partition, report.offset)
                case .failure(let error): failure.withLock { $0 = error }
                }
                pending.leave()
            }
        }
        pending.wait()
        if let error = failure.withLock({ $0 }) { throw BenchError("publishing intents failed: \(error)") }
        return ends.withLock { $0 }
    }

    func close() { producer.close(timeoutMs: 5_000) }

    /// The value of the intent with `key` (a valid receiver chosen from the key's bytes).
    static func value(for key: String) -> [UInt8] {
        let receiver = ScenarioRunner.receivers[key.utf8.reduce(0) { $0 &+ Int($1) } % ScenarioRunner.receivers.count]
        return Array(#"{"receiver":"\#(receiver)","quantity":65000,"duration":"1h"}"#.utf8)
    }
}

/// The simulator's counters, read over HTTP from its process.
struct SimulatorProbe {
    let port: UInt16

    func stats() throws -> SimulatorStats {
        guard let (status, body) = HTTPText.get(port: port, path: "/_sim/stats"), status == 200 else {
            throw BenchError("the simulator's /_sim/stats did not answer")
        }
        return try SimulatorStats(json: JSONParser.parse(Array(body.utf8)))
    }
}

/// Watches the worker from outside: its metrics (first consumed intent, results) and its group's committed offsets.
final class WorkerProgress {
    let metricsPort: UInt16
    let topic: String
    let worker: ChildProcess
    private let offsets: KafkaConsumer
    private var closed = false

    init(bootstrap: String, group: String, topic: String, metricsPort: UInt16, worker: ChildProcess) throws {
        self.metricsPort = metricsPort
        self.topic = topic
        self.worker = worker
        // Never joins the group: only reads its committed offsets.
        offsets = try KafkaConsumer(
            config: KafkaConfig([
                "bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": "false",
            ]))
    }

    func close() {
        guard !closed else { return }
        closed = true
        offsets.close()
    }

    /// When the worker's `catfee_intents_consumed_total` first went above zero (polled every 5 ms).
    func waitForFirstConsume(timeout: Duration) throws -> ContinuousClock.Instant {
        try poll(every: .milliseconds(5), timeout: timeout, what: "the first consumed intent") {
            guard let (_, body) = HTTPText.get(port: metricsPort, path: "/metrics") else { return false }
            return HTTPText.metricSum("catfee_intents_consumed_total", in: body) > 0
        }
    }

    /// When results plus dead letters acknowledged first reached `count` (polled every 100 ms). With BENCH_TRACE set,
    /// prints consumed, in-flight and finished counts every 250 ms.
    func waitForResults(_ count: Int, timeout: Duration) throws -> ContinuousClock.Instant {
        let trace = ProcessInfo.processInfo.environment["BENCH_TRACE"] != nil
        var nextTrace = ContinuousClock.now
        let start = ContinuousClock.now
        // Every 100 ms: each scrape costs the measured worker a metrics rendering.
        return try poll(every: .milliseconds(100), timeout: timeout, what: "\(count) results") {
            guard let (_, body) = HTTPText.get(port: metricsPort, path: "/metrics") else { return false }
            let done =
                HTTPText.metricSum("catfee_results_total", in: body)
                + HTTPText.metricSum("catfee_dead_letters_total", in: body)
            if trace, ContinuousClock.now >= nextTrace {
                nextTrace = .now + .milliseconds(100)
                let line = String(
                    format: "  t=%.2f consumed=%.0f in_flight=%.0f paused=%.0f api=%.0f done=%.0f queue=%.0f",
                    ScenarioRunner.seconds(.now - start), HTTPText.metricSum("catfee_intents_consumed_total", in: body),
                    HTTPText.metricSum("catfee_in_flight_intents", in: body),
                    HTTPText.metricSum("catfee_paused_partitions", in: body),
                    HTTPText.metricSum("catfee_api_requests_total", in: body), done,
                    HTTPText.metricSum("catfee_producer_queue_messages", in: body))
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            return done >= Double(count)
        }
    }

    /// When the group's committed offsets first reached `ends` on every partition (polled every 20 ms).
    func waitForCommits(_ ends: [Int32: Int64], timeout: Duration) throws -> ContinuousClock.Instant {
        let partitions = ends.keys.map { KafkaTopicPartition(topic: topic, partition: $0) }
        return try poll(every: .milliseconds(20), timeout: timeout, what: "the commit of every intent") {
            guard let committed = try? offsets.committed(partitions, timeoutMs: 5_000) else { return false }
            return ends.allSatisfy { partition, end in
                (committed[KafkaTopicPartition(topic: topic, partition: partition)] ?? -1) >= end
            }
        }
    }

    private func poll(
        every interval: Duration, timeout: Duration, what: String, _ condition: () -> Bool
    ) throws -> ContinuousClock.Instant {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return .now }
            if let exit = worker.exitIfEnded() {
                throw BenchError("the worker exited (status \(exit.status)) before \(what); see \(worker.stderrPath)")
            }
            Thread.sleep(forTimeInterval: ScenarioRunner.seconds(interval))
        }
        throw BenchError("timed out waiting for \(what); worker log: \(worker.stderrPath)")
    }
}

/// The latency phase: intents published at a steady rate, each noted when handed to the producer, while a consumer
/// of the results topic notes when each result becomes readable (the latency to read; the latency to the
/// acknowledged result pairs the sending times with the worker's log or the relay's delivery reports).
final class PacedLatencyProbe: Sendable {
    private let publisher: IntentPublisher
    private let consumer: KafkaConsumer
    private let sent = Locked<[String: ContinuousClock.Instant]>([:])
    private let received = Locked<[String: ContinuousClock.Instant]>([:])
    /// When each intent was handed to the producer (paired with its acknowledgement for the latency) and when its
    /// result was read (wall clock, ms), and, for BENCH_TRACE, the result's own timestamp (the worker's producer sets
    /// it when the result is handed to it).
    private let wallClock = Locked<[String: (sent: Double, produced: Int64?, read: Double)]>([:])
    private let stop = Atomic<Bool>(false)
    private let readerDone = DispatchSemaphore(value: 0)

    init(bootstrap: String, intentsTopic: String, resultsTopic: String, partitions: Int32) throws {
        publisher = try IntentPublisher(bootstrap: bootstrap, topic: intentsTopic, lingerMs: 0)
        consumer = try KafkaConsumer(
            config: KafkaConfig([
                "bootstrap.servers": bootstrap, "group.id": "bench-latency-\(UUID().uuidString)",
                "enable.auto.commit": "false", "fetch.wait.max.ms": "1", "fetch.error.backoff.ms": "5",
                "socket.nagle.disable": "true",
            ]))
        var start: [KafkaTopicPartition: Int64] = [:]
        for partition in 0..<partitions {
            let topicPartition = KafkaTopicPartition(topic: resultsTopic, partition: partition)
            start[topicPartition] = try consumer.watermarks(topicPartition, timeoutMs: 10_000).high
        }
        try consumer.assign(start)
        let thread = Thread { [self] in readResults() }
        thread.name = "bench-results-reader"
        thread.start()
    }

    /// The reader thread: notes when each result first became readable.
    private func readResults() {
        while !stop.load(ordering: .relaxed) {
            guard let message = try? consumer.poll(timeoutMs: 50), let key = message.key else { continue }
            let now = ContinuousClock.now
            let wallNow = Date().timeIntervalSince1970 * 1000
            let name = String(decoding: key, as: UTF8.self)
            received.withLock { if $0[name] == nil { $0[name] = now } }
            wallClock.withLock { times in
                if let entry = times[name], entry.read == 0 {
                    times[name] = (entry.sent, message.timestampMs, wallNow)
                }
            }
        }
        readerDone.signal()
    }

    /// Publishes `keys` at `rate` per second, noting when each was handed to the producer; returns each partition's
    /// end offset once all are acknowledged.
    func publish(keys: [String], rate: Int) throws -> [Int32: Int64] {
        try publisher.publish(keys: keys, rate: rate) { key in
            sent.withLock { $0[key] = .now }
            wallClock.withLock { $0[key] = (Date().timeIntervalSince1970 * 1000, nil, 0) }
        }
    }

    /// When each intent was handed to the producer, by key (wall clock, ms; the warm-up forgotten).
    func sentAtMs() -> [String: Double] { wallClock.withLock { $0.mapValues(\.sent) } }

    /// Forgets what was sent and read so far (after the warm-up).
    func forget() {
        sent.withLock { $0.removeAll() }
        received.withLock { $0.removeAll() }
        wallClock.withLock { $0.removeAll() }
    }

    /// Waits until `count` results were read; returns each latency in milliseconds.
    func waitForResults(count: Int, timeout: Duration) throws -> [Double] {
        let deadline = ContinuousClock.now + timeout
        while received.withLock({ $0.count }) < count {
            guard ContinuousClock.now < deadline else {
                throw BenchError("only \(received.withLock { $0.count }) of \(count) paced results arrived")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let sent = sent.withLock { $0 }
        let samples = received.withLock { received in
            received.compactMap { key, at in
                sent[key].map { (key: key, sentAt: $0, ms: ScenarioRunner.seconds(at - $0) * 1000) }
            }
        }
        if ProcessInfo.processInfo.environment["BENCH_TRACE"] != nil, let first = sent.values.min() {
            let wallClock = wallClock.withLock { $0 }
            for sample in samples.sorted(by: { $0.ms > $1.ms }).prefix(15) {
                // The split at the result's timestamp, as in traceBreakdown().
                let times = wallClock[sample.key]
                let toResult = times.flatMap { entry in entry.produced.map { Double($0) - entry.sent } } ?? .nan
                let line = String(
                    format: "  slow: sent at +%.3f s, latency %.1f ms (to the result's timestamp %.1f ms)",
                    ScenarioRunner.seconds(sample.sentAt - first), sample.ms, toResult)
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            traceBreakdown()
        }
        return samples.map(\.ms)
    }

    /// Splits each latency at the result's timestamp (ms resolution): intent handed to the benchmark's producer →
    /// result handed to the worker's producer, and from there → result read.
    private func traceBreakdown() {
        let times = wallClock.withLock { $0.values.filter { $0.read > 0 && $0.produced != nil } }
        let toResult = times.map { Double($0.produced ?? 0) - $0.sent }
        let toRead = times.map { $0.read - Double($0.produced ?? 0) }
        for (name, values) in [("intent sent -> result produced", toResult), ("result produced -> read", toRead)] {
            let line =
                "  \(name): "
                + String(
                    format: "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", Percentile.of(values, 50) ?? 0,
                    Percentile.of(values, 90) ?? 0, Percentile.of(values, 99) ?? 0, values.max() ?? 0)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    func close() {
        stop.store(true, ordering: .relaxed)
        readerDone.wait()
        consumer.close()
        publisher.close()
    }
}

/// The Kafka path with no worker and no API: consumes the relay-in topic and republishes each message to relay-out at
/// once, with the worker's librdkafka settings (`fetch.wait.max.ms`, `linger.ms`, `max.in.flight`, Nagle off,
/// idempotence). The paced probe run through it measures what two hops through the mock broker cost on their own,
/// beside the worker's figure.
final class KafkaRelay: KafkaConsumerDelegate {
    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let outputTopic: String
    /// When the broker acknowledged each republished message, by key (wall clock, ms), as the worker logs its results.
    private let acknowledged = Locked<[String: Double]>([:])

    init(
        bootstrap: String, inputTopic: String, outputTopic: String, partitions: Int32,
        workerProperties: [String: String]
    ) throws {
        consumer = try KafkaConsumer(
            config: KafkaConfig([
                "bootstrap.servers": bootstrap, "group.id": "bench-relay-\(UUID().uuidString)",
                "enable.auto.commit": "false", "socket.nagle.disable": "true",
                "fetch.wait.max.ms": workerProperties["fetch.wait.max.ms"] ?? "500",
            ]))
        var producerConfig = ["bootstrap.servers": bootstrap, "socket.nagle.disable": "true"]
        for (name, value) in ScenarioRunner.workerProducerDefaults {
            producerConfig[name] = workerProperties[name] ?? value
        }
        producer = try KafkaProducer(config: KafkaConfig(producerConfig))
        producer.prepare(topics: [outputTopic])
        self.outputTopic = outputTopic
        var start: [KafkaTopicPartition: Int64] = [:]
        for partition in 0..<partitions {
            let topicPartition = KafkaTopicPartition(topic: inputTopic, partition: partition)
            start[topicPartition] = try consumer.watermarks(topicPartition, timeoutMs: 10_000).high
        }
        try consumer.assign(start)
        consumer.start(delegate: self, pollTimeoutMs: 100)
    }

    func consumer(_ consumer: KafkaConsumer, didReceive messages: [KafkaMessage]) {
        for message in messages {
            let key = message.key.map { String(decoding: $0, as: UTF8.self) }
            producer.send(topic: outputTopic, key: message.key, value: message.value) { [acknowledged] result in
                guard case .success = result, let key else { return }
                let now = Date().timeIntervalSince1970 * 1000
                acknowledged.withLock { $0[key] = now }
            }
        }
    }

    /// When the broker acknowledged each republished message, by key (wall clock, ms), once every one of `keys` is
    /// (the delivery reports come on librdkafka's thread, possibly after the last result was read) or `timeout` passed.
    func acknowledgedAtMs(keys: Set<String>, timeout: Duration) -> [String: Double] {
        let deadline = ContinuousClock.now + timeout
        while !acknowledged.withLock({ times in keys.allSatisfy { times[$0] != nil } }),
            ContinuousClock.now < deadline
        {
            Thread.sleep(forTimeInterval: 0.01)
        }
        return acknowledged.withLock { $0 }
    }

    func consumer(_ consumer: KafkaConsumer, didAssign partitions: [KafkaTopicPartition]) {}
    func consumer(_ consumer: KafkaConsumer, willRevoke partitions: [KafkaTopicPartition], lost: Bool) {}
    func consumerDidTick(_ consumer: KafkaConsumer) {}
    func consumer(_ consumer: KafkaConsumer, didFail error: KafkaError) {}

    func close() {
        consumer.close()
        producer.close(timeoutMs: 5_000)
    }
}

/// The paced intents' latencies, in milliseconds, to two ends: the broker's acknowledgement of the result (issue 6's
/// "produce to acknowledged result"), and a consumer of the results topic reading it (which adds that consumer's
/// fetch: on the mock broker up to a whole `fetch.wait.max.ms` cycle).
struct PacedLatencies {
    var toAcknowledged: [Double] = []
    var toRead: [Double] = []
    /// Sent intents whose acknowledgement was not found: kept out of the percentiles, and a scenario with any fails.
    var unacknowledged = 0

    init() {}

    /// Pairs each sent intent with its acknowledgement (both wall clock, ms).
    init(sent: [String: Double], acknowledged: [String: Double], toRead: [Double]) {
        for (key, at) in sent {
            if let acknowledgedAt = acknowledged[key] {
                toAcknowledged.append(acknowledgedAt - at)
            } else {
                unacknowledged += 1
            }
        }
        self.toRead = toRead
    }
}

/// The results topic read from its start after a drain: each result's Kafka timestamp by key, in ms since the epoch
/// (the worker's producer sets it when the result is handed to it).
enum ResultTimestamps {
    static func read(bootstrap: String, topic: String, partitions: Int32, timeout: Duration) throws -> [String: Int64] {
        let consumer = try KafkaConsumer(
            config: KafkaConfig([
                "bootstrap.servers": bootstrap, "group.id": "bench-results-\(UUID().uuidString)",
                "enable.auto.commit": "false", "fetch.wait.max.ms": "10",
            ]))
        defer { consumer.close() }
        var start: [KafkaTopicPartition: Int64] = [:]
        var ends: [Int32: Int64] = [:]
        for partition in 0..<partitions {
            let topicPartition = KafkaTopicPartition(topic: topic, partition: partition)
            let marks = try consumer.watermarks(topicPartition, timeoutMs: 10_000)
            start[topicPartition] = marks.low
            if marks.high > marks.low { ends[partition] = marks.high }
        }
        try consumer.assign(start)
        var times: [String: Int64] = [:]
        let deadline = ContinuousClock.now + timeout
        while !ends.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw BenchError("timed out reading \(topic) (partitions \(ends.keys.sorted()) not read to their end)")
            }
            guard let message = try consumer.poll(timeoutMs: 100) else { continue }
            // The first result of a key (a redelivered intent's later result keeps the first's timestamp).
            if let key = message.key, let timestamp = message.timestampMs {
                let name = String(decoding: key, as: UTF8.self)
                if times[name] == nil { times[name] = timestamp }
            }
            if let end = ends[message.partition], message.offset + 1 >= end { ends[message.partition] = nil }
        }
        return times
    }
}

/// Reads the measured worker's debug log (JSON lines): when it saw each record acknowledged.
enum WorkerLog {
    /// Key → wall-clock ms of the worker's "record acknowledged" line (its microsecond timestamp).
    static func acknowledgements(path: String) throws -> [String: Double] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var times: [String: Double] = [:]
        for line in text.split(separator: "\n") where line.contains("\"msg\":\"record acknowledged\"") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let key = object["key"] as? String, let stamp = object["ts"] as? String,
                let ms = milliseconds(stamp)
            else { continue }
            if times[key] == nil { times[key] = ms }
        }
        return times
    }

    /// `2026-12-04T11:49:32.123456Z` → ms since the epoch.
    static func milliseconds(_ stamp: String) -> Double? {
        let parts = stamp.split(whereSeparator: { "-T:.Z".contains($0) }).compactMap { Int($0) }
        guard parts.count == 7 else { return nil }
        var date = tm()
        date.tm_year = Int32(parts[0] - 1900)
        date.tm_mon = Int32(parts[1] - 1)
        date.tm_mday = Int32(parts[2])
        date.tm_hour = Int32(parts[3])
        date.tm_min = Int32(parts[4])
        date.tm_sec = Int32(parts[5])
        let fraction = stamp.split(separator: ".").last?.dropLast() ?? ""
        guard let digits = Double("0." + fraction) else { return nil }
        return (Double(timegm(&date)) + digits) * 1000
    }
}
