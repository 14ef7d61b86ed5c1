import Testing
import Worker

@Suite struct KeySchedulerTests {
    @Test func sameKeyRunsOneAtATimeInOrder() {
        var scheduler = KeyScheduler<Int>()
        #expect(scheduler.submit(1, key: "a") == 1)
        #expect(scheduler.submit(2, key: "a") == nil)
        #expect(scheduler.submit(3, key: "a") == nil)
        #expect(scheduler.submit(10, key: "b") == 10)
        #expect(scheduler.runningCount == 2)
        #expect(scheduler.waitingCount == 2)
        #expect(scheduler.complete(key: "a") == 2)
        #expect(scheduler.complete(key: "a") == 3)
        #expect(scheduler.complete(key: "a") == nil)
        #expect(scheduler.submit(4, key: "a") == 4)
    }

    @Test func removesWaitingItemsOfRevokedPartitions() {
        var scheduler = KeyScheduler<(partition: Int, offset: Int)>()
        _ = scheduler.submit((0, 1), key: "k")
        _ = scheduler.submit((1, 5), key: "k")
        _ = scheduler.submit((0, 2), key: "k")
        let removed = scheduler.removeWaiting { $0.partition == 1 }
        #expect(removed.map(\.offset) == [5])
        #expect(scheduler.complete(key: "k")?.offset == 2)
        #expect(scheduler.complete(key: "k") == nil)
    }

    @Test func completingAnIdleKeyDoesNothing() {
        var scheduler = KeyScheduler<Int>()
        #expect(scheduler.complete(key: "x") == nil)
        #expect(scheduler.runningCount == 0)
    }
}
