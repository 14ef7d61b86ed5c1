import Testing
import Worker

@Suite struct KeySchedulerTests {
    @Test func sameKeyRunsOneAtATimeInOrder() {
        var scheduler = KeyScheduler<Int>()
        let step1 = scheduler.submit(1, key: "a")
        #expect(step1 == 1)
        let step2 = scheduler.submit(2, key: "a")
        #expect(step2 == nil)
        let step3 = scheduler.submit(3, key: "a")
        #expect(step3 == nil)
        let step4 = scheduler.submit(10, key: "b")
        #expect(step4 == 10)
        #expect(scheduler.runningCount == 2)
        #expect(scheduler.waitingCount == 2)
        let step5 = scheduler.complete(key: "a")
        #expect(step5 == 2)
        let step6 = scheduler.complete(key: "a")
        #expect(step6 == 3)
        #expect(scheduler.waitingCount == 0)
        let step7 = scheduler.complete(key: "a")
        #expect(step7 == nil)
        let step8 = scheduler.submit(4, key: "a")
        #expect(step8 == 4)
    }

    @Test func removesWaitingItemsOfRevokedPartitions() {
        var scheduler = KeyScheduler<(partition: Int, offset: Int)>()
        _ = scheduler.submit((0, 1), key: "k")
        _ = scheduler.submit((1, 5), key: "k")
        _ = scheduler.submit((0, 2), key: "k")
        let removed = scheduler.removeWaiting { $0.partition == 1 }
        #expect(removed.map(\.offset) == [5])
        let step9 = scheduler.complete(key: "k")?.offset
        #expect(step9 == 2)
        let step10 = scheduler.complete(key: "k")
        #expect(step10 == nil)
    }

    @Test func completingAnIdleKeyDoesNothing() {
        var scheduler = KeyScheduler<Int>()
        let step11 = scheduler.complete(key: "x")
        #expect(step11 == nil)
        #expect(scheduler.runningCount == 0)
    }
}
