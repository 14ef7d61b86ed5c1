import CatFeeSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension ProcessTests {
    /// Rebalances while work is in flight or partitions are paused.
    @Suite struct RebalanceTests {
        /// Issue 3, test 3, failure case 2: a slow key in flight when a second worker joins. The worker's own
        /// cooperative-sticky protocol moves one partition to the newcomer; the first worker must finish that
        /// partition's slow key, publish and commit it before letting go, so nobody requests it again.
        ///
        /// Two partitions, each with a slow key at offset 20, because sticky assignment never moves a lone partition
        /// (and the eager protocol cannot be used instead: librdkafka's mock refuses OffsetCommit with
        /// REBALANCE_IN_PROGRESS while the group is joining, where a real broker accepts the current generation's
        /// commit). Auto-commit is stretched to 60 s so the only commit that can cover a slow key is the revoke's.
        @Test func revokeFinishesInFlightWorkBeforeLettingGo() async throws {
            let slowKeys = ["slow-0", "slow-1"]
            let harness = try ProcessHarness(partitions: 2, resultPartitions: 1) { configuration in
                configuration.faults.latencyMs = 5
                configuration.faults.slowKeys = Dictionary(uniqueKeysWithValues: slowKeys.map { ($0, 4000) })
            }
            defer { harness.killAll() }
            var keys: [String] = []
            for (partition, slowKey) in slowKeys.enumerated() {
                let partitionKeys =
                    ProcessHarness.keys(20, prefix: "p\(partition)") + [slowKey]
                    + ProcessHarness.keys(20, prefix: "q\(partition)")
                try await harness.publish(keys: partitionKeys, partition: Int32(partition))
                keys += partitionKeys
            }
            let slowOffset: Int64 = 20
            let properties = ["auto.commit.interval.ms": "60000"]
            let settings = ["REVOKE_TIMEOUT_MS": "10000"]

            let first = try harness.startWorker(settings, properties: properties)
            // The simulator logs a request when it answers: every other key answered, the slow ones still running.
            let inFlight = await harness.waitUntil(timeout: .seconds(30)) {
                let ledger = harness.simulator.ledger()
                return Set(ledger.requests.compactMap(\.clientOrderID)).count == keys.count - slowKeys.count
                    && slowKeys.allSatisfy { ledger.chargesByClientOrderID[$0] == nil }
            }
            try #require(inFlight, "the fast keys did not finish\n\(harness.diagnostics())")
            let second = try harness.startWorker(settings, properties: properties)

            let revoked = await harness.waitUntil(timeout: .seconds(30)) { first.logCount("partitions revoked") > 0 }
            try #require(revoked, "the first worker never revoked a partition\n\(harness.diagnostics())")
            let committed = try await harness.committedOffsets()
            let line = first.log.split(separator: "\n").first { $0.contains("partitions revoked") } ?? ""
            let moved = (0..<Int32(2)).filter { line.contains("\(ProcessHarness.intents)[\($0)]") }
            #expect(moved.count == 1, "one partition moves: \(line)")
            for partition in moved {
                #expect(
                    (committed[partition] ?? -1) > slowOffset,
                    "the revoke commit does not cover the slow key of partition \(partition): \(committed)\n\(harness.diagnostics())"
                )
            }
            #expect(first.logCount("revoke bound reached") == 0, "\(harness.diagnostics())")

            // The partition that stayed is committed only at shutdown (auto-commit is 60 s): wait for the results.
            let finished = try await harness.waitUntil(timeout: .seconds(60)) {
                try await harness.results().count >= keys.count
            }
            #expect(finished, "not every intent has a result\n\(harness.diagnostics())")
            let taken = await harness.waitUntil(timeout: .seconds(30)) { second.logCount("partitions assigned") > 0 }
            #expect(taken, "the second worker got no partition\n\(harness.diagnostics())")
            // The first worker stops first, while the group is stable, so its shutdown commit is accepted.
            for worker in [first, second] {
                worker.send(SIGTERM)
                #expect(await worker.waitForExit(timeout: .seconds(20)) == .status(0), "\(harness.diagnostics())")
            }
            try await harness.checkInvariants(expectedKeys: Set(keys))
            let ledger = harness.simulator.ledger()
            let results = try await harness.results()
            for slowKey in slowKeys {
                let requests = ledger.requests.filter { $0.clientOrderID == slowKey }.count
                #expect(requests == 1, "\(slowKey) was requested \(requests) times\n\(harness.diagnostics())")
                #expect(ledger.chargesByClientOrderID[slowKey] == 1)
                #expect(results.filter { $0.key == slowKey }.count == 1, "one result for \(slowKey)")
            }
        }

        /// Failure case 14, paused stays paused: with MAX_IN_FLIGHT=2, MAX_BUFFERED=2 and API latency the worker is paused for
        /// backpressure most of the time; a second worker joins, takes partitions, then leaves. Every partition, the
        /// ones that moved away and came back included, must still be read to the end.
        @Test func backpressurePauseSurvivesRebalance() async throws {
            let harness = try ProcessHarness(partitions: 4) { $0.faults.latencyMs = 20 }
            defer { harness.killAll() }
            let keys = ProcessHarness.keys(120)
            try await harness.publish(keys: keys)
            let settings = ["MAX_IN_FLIGHT": "2", "MAX_BUFFERED": "2"]

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
            let reassigned = await harness.waitUntil(timeout: .seconds(30)) {
                first.logCount("partitions assigned") >= 2
            }
            #expect(reassigned, "the partitions did not come back\n\(harness.diagnostics())")

            let done = try await harness.waitUntilAllCommitted(timeout: .seconds(90))
            let committed = done ? [:] : ((try? await harness.committedOffsets()) ?? [:])
            #expect(done, "a partition stopped progressing: \(committed)\n\(harness.diagnostics())")
            first.send(SIGTERM)
            #expect(await first.waitForExit(timeout: .seconds(20)) == .status(0), "\(harness.diagnostics())")
            try await harness.checkInvariants(expectedKeys: Set(keys))
        }
    }
}
