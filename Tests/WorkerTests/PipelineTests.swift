import CatFee
import Foundation
import JSON
import Kafka
import Locking
import Testing
import Worker

/// The pipeline with CatFee, the broker and the consumer in memory: slots, keys, buffering, offsets, shutdown
/// and revoke, without I/O. (The real consumer is passed to the delegate methods only as an argument: it points
/// at a closed port and is never polled.)
@Suite struct PipelineTests {
    static let topic = "purchase-intents"
    static let receiver = TronAddressValidator.address(account: (0..<20).map { UInt8($0) })

    @Test func offsetsNeverPassAnIntentGivenUpAtShutdown() async throws {
        let rig = try Rig(maxInFlight: 2)
        rig.orders.hold(["a", "c"])
        rig.assign([0])
        // 0:a runs, 1:a waits behind its key, 2:c runs, 3:d waits for a slot.
        rig.receive([(0, 0, "a"), (0, 1, "a"), (0, 2, "c"), (0, 3, "d")])
        #expect(await Self.eventually { rig.orders.calls.count == 2 })
        rig.pipeline.stopIntake()
        #expect(rig.pipeline.status.inFlight == 2, "the two intents not started are given up")
        rig.orders.release("c")
        #expect(await Self.eventually { rig.pipeline.status.inFlight == 1 })
        #expect(rig.control.stored.isEmpty, "offset 2 finished but offset 0 did not: nothing is committable")
        rig.orders.release("a")
        #expect(await rig.pipeline.drain(until: .now + .seconds(5)))
        rig.pipeline.commitAll(reason: "test")
        // Offsets 0 and 2 are done, 1 was given up: the commit stops at 1, so 1, 2 and 3 are read again.
        #expect(rig.control.stored[Self.partition(0)] == [1])
        #expect(rig.control.committed.last?[Self.partition(0)] == 1)
        #expect(rig.orders.calls.sorted() == ["a", "c"], "the given-up intents never reached CatFee")
    }

    @Test func revokeHandsTheKeyOfAGivenUpIntentToTheNextOne() async throws {
        let rig = try Rig(maxInFlight: 1)
        rig.orders.hold(["x"])
        rig.assign([0, 1])
        // 0:x runs; 0:k is ready but has no slot, holding key k; 1:k waits behind it.
        rig.receive([(0, 0, "x"), (0, 1, "k"), (1, 0, "k")])
        #expect(await Self.eventually { rig.orders.calls == ["x"] })
        rig.pipeline.consumer(rig.consumer, willRevoke: [Self.partition(0)], lost: true)
        rig.orders.release("x")
        #expect(await Self.eventually { rig.pipeline.status.inFlight == 0 })
        #expect(rig.orders.calls == ["x", "k"], "partition 1's k ran once partition 0's k was given up")
        #expect(rig.control.stored[Self.partition(1)] == [1])
        #expect(rig.control.stored[Self.partition(0)] == nil, "a lost partition stores nothing")
    }

    @Test func pausesAtTheBufferMarkAndResumesAtHalfIt() async throws {
        let rig = try Rig(maxInFlight: 2, maxBuffered: 4)
        let keys = (0..<6).map { "b\($0)" }
        rig.orders.hold(Set(keys))
        rig.assign([0])
        rig.receive(keys.enumerated().map { (0, Int64($0.offset), $0.element) })
        #expect(rig.pipeline.status.backpressurePaused)
        #expect(rig.control.paused == [Self.partition(0)])
        #expect(await Self.eventually { rig.orders.calls.count == 2 }, "two slots, four buffered")
        rig.orders.release("b0")
        rig.orders.release("b1")
        #expect(await Self.eventually { rig.pipeline.status.inFlight == 4 })
        #expect(rig.pipeline.status.backpressurePaused, "4 accepted is above the resume mark 2 + 4 / 2 - 1 = 3")
        rig.orders.release("b2")
        #expect(await Self.eventually { rig.pipeline.status.inFlight == 3 })
        #expect(!rig.pipeline.status.backpressurePaused)
        #expect(rig.control.paused.isEmpty)
        keys.forEach(rig.orders.release)
        #expect(await Self.eventually { rig.pipeline.status.inFlight == 0 })
        #expect(rig.control.stored[Self.partition(0)]?.last == 6)
    }

    @Test func publishingHoldsNoSlot() async throws {
        let rig = try Rig(maxInFlight: 1, publishDelay: .seconds(1))
        rig.assign([0])
        rig.receive([(0, 0, "p0"), (0, 1, "p1"), (0, 2, "p2")])
        // One slot, and each acknowledgement takes 1 s: all three reach CatFee long before the first is acknowledged.
        #expect(await Self.eventually(.milliseconds(700)) { rig.orders.calls.count == 3 })
        #expect(rig.pipeline.status.inFlight == 3, "still publishing")
        #expect(await Self.eventually { rig.pipeline.status.inFlight == 0 })
        #expect(rig.control.stored[Self.partition(0)]?.last == 3)
    }

    @Test func shutdownWithABlockedAccountWaitsOnlyForWhatIsPublishing() async throws {
        let rig = try Rig(maxInFlight: 4, publishDelay: .milliseconds(800))
        rig.orders.refuseAccount(for: ["refused"])
        rig.assign([0])
        // One after the other: received together, the refused intent could block the account before the fine one
        // reached CatFee, and the fine one would then wait for the account instead of publishing.
        rig.receive([(0, 0, "fine")])
        #expect(await Self.eventually { rig.publisher.published.count == 1 }, "the fine intent is publishing")
        rig.receive([(0, 1, "refused")])
        #expect(await Self.eventually { rig.pipeline.status.accountBlockedReason != nil })
        rig.pipeline.stopIntake()
        let start = ContinuousClock.now
        #expect(!(await rig.pipeline.drain(until: .now + .seconds(5))), "the refused intent cannot finish")
        let took = ContinuousClock.now - start
        #expect(took < .seconds(2), "drain took \(took)")
        #expect(rig.control.stored[Self.partition(0)] == [1], "the publishing intent finished before the drain ended")
        rig.pipeline.abandon()
    }

    @Test func revokeWithABlockedAccountDoesNotWaitForTheBound() async throws {
        let rig = try Rig(maxInFlight: 4, revokeTimeout: .seconds(5))
        rig.orders.refuseAccount(for: ["refused"])
        rig.assign([0])
        rig.receive([(0, 0, "refused")])
        #expect(await Self.eventually { rig.pipeline.status.accountBlockedReason != nil })
        let start = ContinuousClock.now
        rig.pipeline.consumer(rig.consumer, willRevoke: [Self.partition(0)], lost: false)
        let took = ContinuousClock.now - start
        #expect(took < .seconds(1), "revoke took \(took)")
        #expect(rig.control.stored.isEmpty)
        rig.pipeline.abandon()
    }

    @Test func keysStayInOrderUnderLoadWithStatusReadConcurrently() async throws {
        let rig = try Rig(maxInFlight: 8, maxBuffered: 50)
        rig.assign([0, 1])
        let poller = Task.detached {
            while !Task.isCancelled {
                _ = rig.pipeline.status
                rig.pipeline.consumerDidTick(rig.consumer)
            }
        }
        defer { poller.cancel() }
        for batch in 0..<20 {
            rig.receive((0..<50).map { (Int32($0 % 2), Int64(batch * 25 + $0 / 2), "k\($0 % 7)") })
            #expect(await Self.eventually { !rig.pipeline.status.backpressurePaused })
        }
        #expect(await Self.eventually(.seconds(20)) { rig.pipeline.status.inFlight == 0 })
        #expect(rig.control.stored[Self.partition(0)]?.last == 500)
        #expect(rig.control.stored[Self.partition(1)]?.last == 500)
        #expect(rig.orders.calls.count == 1_000)
        // Per key and partition, results were published in offset order: the same key never ran out of order.
        var last: [String: Int64] = [:]
        for record in rig.publisher.published {
            let value = try JSONParser.parse(record.value ?? [])
            let key = try #require(value["client_order_id"]?.stringValue)
            let partition = try #require(value["source"]?["partition"]?.integerValue)
            let offset = try #require(value["source"]?["offset"]?.integerValue)
            let slot = "\(key)@\(partition)"
            #expect(offset > last[slot] ?? -1, "\(slot) published out of order")
            last[slot] = offset
        }
    }

    /// Each acknowledged record is timed from its intent's Kafka timestamp (`catfee_intent_latency_seconds`) and, at
    /// debug level, logged with its key (what `catfee-bench` times intents by); a record not yet acknowledged is not.
    @Test func acknowledgedRecordsAreTimedFromTheIntentsTimestamp() async throws {
        let lines = LineCollector()
        let metrics = WorkerMetrics()
        let rig = try Rig(
            maxInFlight: 4, metrics: metrics, logger: Logger(level: .debug, format: .json, sink: lines.sink))
        rig.orders.hold(["held"])
        rig.assign([0])
        let intentTimestamp = Int64(Date().timeIntervalSince1970 * 1000) - 400
        rig.receive([(0, 0, "t0"), (0, 1, "t1"), (0, 2, "held")], timestampMs: intentTimestamp)
        #expect(await Self.eventually { rig.control.stored[Self.partition(0)]?.last == 2 })
        let acknowledged = lines.lines.filter { $0.contains(#""msg":"record acknowledged""#) }
        #expect(acknowledged.count == 2)
        for key in ["t0", "t1"] {
            #expect(acknowledged.filter { $0.contains(#""key":"\#(key)""#) }.count == 1, "one line for \(key)")
        }
        #expect(metrics.intentLatency.count == 2)
        let rendered = metrics.registry.render()
        #expect(rendered.contains(#"catfee_intent_latency_seconds_bucket{le="0.25"} 0"#), "at least 0.4 s old")
        #expect(rendered.contains(#"catfee_intent_latency_seconds_bucket{le="30"} 2"#))
        rig.orders.release("held")
        #expect(await Self.eventually { metrics.intentLatency.count == 3 })
    }

    // MARK: - Helpers

    /// Collects a logger's lines.
    final class LineCollector: Sendable {
        private let collected = Locked<[String]>([])
        var lines: [String] { collected.withLock { $0 } }
        var sink: Logger.Sink { Logger.Sink { [collected] line in collected.withLock { $0.append(line) } } }
    }

    struct Rig {
        let pipeline: Pipeline
        let orders = FakeOrders()
        let publisher: FakePublisher
        let control = FakeConsumerControl()
        let consumer: KafkaConsumer

        init(
            maxInFlight: Int, maxBuffered: Int = 100, revokeTimeout: Duration = .milliseconds(200),
            publishDelay: Duration = .zero, metrics: WorkerMetrics = WorkerMetrics(),
            logger: Logger = Logger(level: .error, format: .text)
        ) throws {
            publisher = FakePublisher(delay: publishDelay)
            pipeline = Pipeline(
                configuration: PipelineConfiguration(
                    maxInFlight: maxInFlight, maxBuffered: maxBuffered, revokeTimeout: revokeTimeout,
                    accountProbe: RetryPolicy(initialBackoff: .seconds(5), maxBackoff: .seconds(5))),
                orders: orders, publisher: publisher, metrics: metrics, logger: logger)
            pipeline.attach(control)
            consumer = try KafkaConsumer(
                config: KafkaConfig(["bootstrap.servers": "127.0.0.1:1", "group.id": "pipeline-tests"]))
        }

        func assign(_ partitions: [Int32]) {
            pipeline.consumer(consumer, didAssign: partitions.map(PipelineTests.partition))
        }

        func receive(_ messages: [(partition: Int32, offset: Int64, key: String)], timestampMs: Int64? = nil) {
            pipeline.consumer(
                consumer,
                didReceive: messages.map { message in
                    KafkaMessage(
                        topic: PipelineTests.topic, partition: message.partition, offset: message.offset,
                        key: Array(message.key.utf8),
                        value: Array(#"{"receiver":"\#(PipelineTests.receiver)","quantity":65000}"#.utf8),
                        timestampMs: timestampMs)
                })
        }
    }

    static func partition(_ number: Int32) -> KafkaTopicPartition {
        KafkaTopicPartition(topic: topic, partition: number)
    }

    static func eventually(_ timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return condition()
    }
}
