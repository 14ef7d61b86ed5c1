import CatFeeSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension ProcessTests {
    /// API calls never block the poll loop.
    @Suite struct SlowAPITests {
        /// Failure case 1: max.poll.interval.ms of 7 s (librdkafka requires it to be at least session.timeout.ms,
        /// here 6 s) and one key the simulator holds for 9 s. The worker must stay in the group (one assignment, no
        /// revoke, no poll-interval eviction), and the slow key is requested and charged once.
        @Test func slowKeyBeyondMaxPollIntervalKeepsMembership() async throws {
            let slowKey = "intent-3"
            let harness = try ProcessHarness(partitions: 2) { configuration in
                configuration.faults.latencyMs = 5
                configuration.faults.slowKeys = [slowKey: 9000]
            }
            defer { harness.killAll() }
            let keys = ProcessHarness.keys(200)
            try await harness.publish(keys: keys)

            let worker = try harness.startWorker(properties: ["max.poll.interval.ms": "7000"])
            let done = try await harness.waitUntilAllCommitted(timeout: .seconds(60))
            #expect(done, "the end was not committed in time\n\(harness.diagnostics())")
            // Counted before SIGTERM: the shutdown's own final revoke is logged too.
            let assignments = worker.logCount("partitions assigned")
            let revokes = worker.logCount("partitions revoked") + worker.logCount("partitions lost")
            worker.send(SIGTERM)
            #expect(await worker.waitForExit(timeout: .seconds(20)) == .status(0), "\(harness.diagnostics())")

            try await harness.checkInvariants(expectedKeys: Set(keys))
            #expect(assignments == 1, "the worker was assigned \(assignments) times\n\(harness.diagnostics())")
            #expect(revokes == 0, "the worker lost its partitions \(revokes) times\n\(harness.diagnostics())")
            #expect(worker.logCount("maximum poll interval") == 0, "\(harness.diagnostics())")
            let ledger = harness.simulator.ledger()
            #expect(ledger.requests.filter { $0.clientOrderID == slowKey }.count == 1)
            #expect(ledger.chargesByClientOrderID[slowKey] == 1)
        }
    }
}
