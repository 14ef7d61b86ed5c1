import CatFeeSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension ProcessTests {
    /// Several workers in one group share the partitions; losing one moves its partitions without loss or double
    /// charges.
    @Suite struct ScaleOutTests {
        /// Issue 3, test 2: 6 partitions, 3,000 intents, three workers in one group, one SIGKILLed midway.
        @Test func threeWorkersOneKilledMidway() async throws {
            let harness = try ProcessHarness(partitions: 6) { $0.faults.latencyMs = 20 }
            defer { harness.killAll() }
            let keys = ProcessHarness.keys(3000)
            try await harness.publish(keys: keys)

            let settings = ["MAX_IN_FLIGHT": "100"]
            let workers = try (0..<3).map { _ in try harness.startWorker(settings) }
            let shared = await harness.waitUntil(timeout: .seconds(30)) {
                workers.allSatisfy { $0.logCount("partitions assigned") > 0 }
            }
            try #require(shared, "not every worker got partitions\n\(harness.diagnostics())")
            let midway = await harness.waitUntil(timeout: .seconds(60)) { harness.chargedCount >= 1500 }
            try #require(midway, "1,500 charges not reached\n\(harness.diagnostics())")
            workers[1].send(SIGKILL)
            #expect(await workers[1].waitForExit(timeout: .seconds(10)) == .signal(SIGKILL))

            let done = try await harness.waitUntilAllCommitted(timeout: .seconds(90))
            #expect(done, "the end was not committed in time\n\(harness.diagnostics())")
            for worker in [workers[0], workers[2]] {
                worker.send(SIGTERM)
                #expect(await worker.waitForExit(timeout: .seconds(20)) == .status(0), "\(harness.diagnostics())")
            }
            try await harness.checkInvariants(expectedKeys: Set(keys))
            #expect(harness.simulator.ledger().chargesByClientOrderID.count == keys.count)
            // The survivors took over the killed worker's partitions.
            #expect(workers[0].logCount("partitions assigned") + workers[2].logCount("partitions assigned") > 2)
        }
    }
}
