import CatFeeSimulator
import Foundation
import Kafka
import Testing
import Worker

/// A second member joins mid-run and the first one leaves, with either rebalance protocol: nothing is charged
/// twice, nothing is lost, and every partition's end is committed.
@Suite(.serialized) struct RebalanceTests {
    @Test(arguments: ["range", "cooperative-sticky"])
    func membersJoinAndLeaveMidRun(strategy: String) async throws {
        let harness = try Harness(partitions: 4) { $0.faults.latencyMs = 10 }
        let properties = FileManager.default.temporaryDirectory.appendingPathComponent("rebalance-\(UUID()).properties")
        try "partition.assignment.strategy=\(strategy)\nsession.timeout.ms=6000\nheartbeat.interval.ms=500\n".write(
            to: properties, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: properties) }
        let keys = (0..<400).map { "rb-\($0)" }
        try await harness.publish(
            keys.enumerated().map { number, key in
                .init(key: Array(key.utf8), value: Harness.intentValue(receiver: Harness.receiver(number)))
            })
        let settings = ["KAFKA_PROPERTIES_FILE": properties.path, "MAX_IN_FLIGHT": "8"]
        let first = try harness.startInProcessWorker(settings)
        try await Task.sleep(for: .seconds(4))
        let second = try harness.startInProcessWorker(settings)
        try await Task.sleep(for: .seconds(4))
        try await first.stop()
        let done = try await harness.waitUntilAllCommitted(timeout: .seconds(90))
        try await second.stop()
        #expect(done, "the group did not finish the backlog")
        try await harness.checkInvariants(expectedKeys: Set(keys), deadLetterCount: 0)
        let ledger = harness.simulator.ledger()
        #expect(ledger.chargesByClientOrderID.count == keys.count)
        #expect(ledger.chargesByClientOrderID.values.allSatisfy { $0 == 1 })
    }

    /// The commit a member makes while giving partitions up is refused twice with REBALANCE_IN_PROGRESS (injected into
    /// the broker's next two OffsetCommit answers). The worker retries it within its one-second bound, the revoked
    /// partitions' offsets are committed, and the member that takes them over starts after the intents the first one
    /// finished: no intent is requested from CatFee twice.
    @Test func revokeCommitRetriesThroughRebalanceInProgress() async throws {
        let harness = try Harness(partitions: 4)
        let properties = FileManager.default.temporaryDirectory.appendingPathComponent("revoke-\(UUID()).properties")
        // No automatic commit at all (librdkafka would otherwise also commit the stored offsets of partitions it
        // unassigns): the worker's revoke commit is the first and only one before shutdown.
        try """
        partition.assignment.strategy=cooperative-sticky
        session.timeout.ms=6000
        heartbeat.interval.ms=500
        enable.auto.commit=false

        """.write(to: properties, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: properties) }
        let keys = (0..<120).map { "revoke-commit-\($0)" }
        try await harness.publish(
            keys.enumerated().map { number, key in
                .init(key: Array(key.utf8), value: Harness.intentValue(receiver: Harness.receiver(number)))
            })
        let settings = ["KAFKA_PROPERTIES_FILE": properties.path]
        let first = try harness.startInProcessWorker(settings)
        let deadline = ContinuousClock.now + .seconds(30)
        while try await harness.results().count < keys.count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await harness.results().count == keys.count, "the first member did not finish the backlog")
        #expect(
            try await harness.committedOffsets().values.allSatisfy { $0 < 0 },
            "something was committed before the revoke")

        harness.cluster.pushRequestErrors(
            apiKey: KafkaAPIKey.offsetCommit,
            errors: [KafkaErrorCode.rebalanceInProgress, KafkaErrorCode.rebalanceInProgress])
        let second = try harness.startInProcessWorker(settings)
        let high = try await harness.highWatermarks()
        let handedOver = ContinuousClock.now + .seconds(30)
        var committedAtEnd: [Int32: Int64] = [:]
        while ContinuousClock.now < handedOver {
            committedAtEnd = try await harness.committedOffsets().filter { high[$0.key] == $0.value }
            if first.service.metrics.rebalances.value(["revoke"]) >= 1, !committedAtEnd.isEmpty,
                first.service.metrics.commits.value(["ok"]) >= 1
            {
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        // Both injected refusals reached the worker's commit, and its retry got the offsets in.
        #expect(first.service.metrics.commits.value(["error"]) >= 2)
        #expect(first.service.metrics.commits.value(["ok"]) >= 1)
        #expect(!committedAtEnd.isEmpty, "no revoked partition was committed")
        // The new owner has its partitions and nothing to redo.
        let assigned = ContinuousClock.now + .seconds(30)
        while second.service.metrics.rebalances.value(["assign"]) < 1, ContinuousClock.now < assigned {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(second.service.metrics.rebalances.value(["assign"]) >= 1, "the second member got no partitions")
        try await Task.sleep(for: .seconds(1))
        #expect(second.service.metrics.intentsConsumed.value() == 0)

        // The second member leaves; the first one stops only once it has its partitions back, so that its
        // shutdown commit is not refused by that rebalance's new generation.
        let assignments = first.service.metrics.rebalances.value(["assign"])
        try await second.stop()
        let settled = ContinuousClock.now + .seconds(30)
        while first.service.metrics.rebalances.value(["assign"]) == assignments, ContinuousClock.now < settled {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await first.stop()
        try await harness.checkInvariants(expectedKeys: Set(keys), deadLetterCount: 0)
        #expect(try await harness.results().count == keys.count, "an intent was processed twice")
        let requests = harness.simulator.ledger().requests.filter { $0.method == "POST" }
        let requestsPerKey = Dictionary(grouping: requests.compactMap(\.clientOrderID)) { $0 }.mapValues(\.count)
        #expect(requestsPerKey.count == keys.count)
        #expect(
            requestsPerKey.values.allSatisfy { $0 == 1 }, "requested twice: \(requestsPerKey.filter { $0.value > 1 })")
    }
}
