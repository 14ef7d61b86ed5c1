import CatFeeSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Rebalances while work is in flight or partitions are paused.
@Suite(.serialized) struct RebalanceTests {
    /// Issue 3, test 3, failure case 2: one partition, a slow key in flight, a second worker joins. The eager
    /// `range` protocol makes the first worker revoke the partition; it must finish the slow key, publish and commit
    /// it before letting go, so nobody requests it again. Auto-commit is stretched to 60 s so the only commit
    /// that can cover the slow key during the test is the revoke's.
    @Test func revokeFinishesInFlightWorkBeforeLettingGo() async throws {
        let slowKey = "intent-20"
        let harness = try ProcessHarness(partitions: 1, resultPartitions: 1) { configuration in
            configuration.faults.latencyMs = 5
            configuration.faults.slowKeys = [slowKey: 4000]
        }
        defer { harness.killAll() }
        let keys = ProcessHarness.keys(41)
        try await harness.publish(keys: keys, partition: 0)
        let slowOffset: Int64 = 20
        let properties = ["partition.assignment.strategy": "range", "auto.commit.interval.ms": "60000"]
        let settings = ["REVOKE_TIMEOUT_MS": "10000"]

        let first = try harness.startWorker(settings, properties: properties)
        let inFlight = await harness.waitUntil(timeout: .seconds(30)) {
            harness.simulator.ledger().requests.contains { $0.clientOrderID == slowKey }
        }
        try #require(inFlight, "the slow key was never requested\n\(harness.diagnostics())")
        #expect(harness.simulator.ledger().chargesByClientOrderID[slowKey] == nil, "the slow key is still running")
        let second = try harness.startWorker(settings, properties: properties)

        let revoked = await harness.waitUntil(timeout: .seconds(30)) { first.logCount("partitions revoked") > 0 }
        try #require(revoked, "the first worker never revoked its partition\n\(harness.diagnostics())")
        let committed = try harness.committedOffsets()
        #expect(
            (committed[0] ?? -1) > slowOffset,
            "the revoke commit does not cover the slow key: \(committed)\n\(harness.diagnostics())")
        #expect(first.logCount("revoke bound reached") == 0, "\(harness.diagnostics())")

        let done = try await harness.waitUntilAllCommitted(timeout: .seconds(60))
        #expect(done, "the end was not committed in time\n\(harness.diagnostics())")
        for worker in [first, second] {
            worker.send(SIGTERM)
            #expect(await worker.waitForExit(timeout: .seconds(20)) == .status(0), "\(harness.diagnostics())")
        }
        try harness.checkInvariants(expectedKeys: Set(keys))
        let ledger = harness.simulator.ledger()
        let slowRequests = ledger.requests.filter { $0.clientOrderID == slowKey }.count
        #expect(slowRequests == 1, "the slow key was requested \(slowRequests) times\n\(harness.diagnostics())")
        #expect(ledger.chargesByClientOrderID[slowKey] == 1)
        #expect(try harness.results().filter { $0.key == slowKey }.count == 1, "one result for the slow key")
    }

    /// Failure case 14, paused stays paused: with MAX_IN_FLIGHT=2 and API latency the worker is paused for
    /// backpressure most of the time; a second worker joins, takes partitions, then leaves. Every partition, the
    /// ones that moved away and came back included, must still be read to the end.
    @Test func backpressurePauseSurvivesRebalance() async throws {
        let harness = try ProcessHarness(partitions: 4) { $0.faults.latencyMs = 20 }
        defer { harness.killAll() }
        let keys = ProcessHarness.keys(240)
        try await harness.publish(keys: keys)
        let settings = ["MAX_IN_FLIGHT": "2"]

        let first = try harness.startWorker(settings)
        let started = await harness.waitUntil(timeout: .seconds(30)) { harness.chargedCount >= 20 }
        try #require(started, "the first worker made no progress\n\(harness.diagnostics())")
        let second = try harness.startWorker(settings)
        let joined = await harness.waitUntil(timeout: .seconds(30)) {
            second.logCount("partitions assigned") > 0 && first.logCount("partitions revoked") > 0
        }
        try #require(joined, "the second worker never took partitions\n\(harness.diagnostics())")
        try await Task.sleep(for: .seconds(1))
        second.send(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(20)) == .status(0), "\(harness.diagnostics())")
        let reassigned = await harness.waitUntil(timeout: .seconds(30)) { first.logCount("partitions assigned") >= 2 }
        #expect(reassigned, "the partitions did not come back\n\(harness.diagnostics())")

        let done = try await harness.waitUntilAllCommitted(timeout: .seconds(90))
        #expect(
            done,
            "a partition stopped progressing: \((try? harness.committedOffsets()) ?? [:])\n\(harness.diagnostics())")
        first.send(SIGTERM)
        #expect(await first.waitForExit(timeout: .seconds(20)) == .status(0), "\(harness.diagnostics())")
        try harness.checkInvariants(expectedKeys: Set(keys))
    }
}
