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
        try harness.checkInvariants(expectedKeys: Set(keys), deadLetterCount: 0)
        let ledger = harness.simulator.ledger()
        #expect(ledger.chargesByClientOrderID.count == keys.count)
        #expect(ledger.chargesByClientOrderID.values.allSatisfy { $0 == 1 })
    }
}
