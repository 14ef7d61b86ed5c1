/// Which offsets of one partition are done, and how far the partition may be committed.
///
/// Offsets begin in increasing order (the order the consumer delivers them) and finish in any order. The
/// committable offset is the next offset to consume after the longest prefix of finished offsets: committing it
/// never skips an intent whose result is not yet acknowledged (failure-cases.md, 3, 4 and 9).
///
/// A plain value type with no I/O: the pipeline keeps one per assigned partition behind its lock.
public struct PartitionOffsetTracker: Sendable {
    /// Offsets that began, in order, with whether each has finished. `head` is the first live element.
    private var entries: [(offset: Int64, done: Bool)] = []
    private var head = 0
    /// The offset to commit (last contiguous finished offset + 1), or nil while nothing has finished.
    public private(set) var committable: Int64?
    /// The highest offset that began.
    public private(set) var lastBegan: Int64?

    /// Creates an empty tracker.
    public init() {}

    /// Offsets that began and have not finished.
    public var pendingCount: Int { entries[head...].reduce(0) { $0 + ($1.done ? 0 : 1) } }

    /// Whether every offset that began has finished.
    public var isIdle: Bool { head == entries.count }

    /// Records that work on `offset` began. Offsets at or below one that already began are ignored and
    /// reported as false (a redelivery inside one assignment is processed by its first copy).
    @discardableResult
    public mutating func began(_ offset: Int64) -> Bool {
        if let lastBegan, offset <= lastBegan { return false }
        lastBegan = offset
        entries.append((offset, false))
        return true
    }

    /// Records that `offset` finished (its result or dead letter is acknowledged). Returns the new committable
    /// offset when it advanced, nil otherwise. Unknown offsets are ignored.
    @discardableResult
    public mutating func finished(_ offset: Int64) -> Int64? {
        guard let index = indexOf(offset), !entries[index].done else { return nil }
        entries[index].done = true
        guard index == head else { return nil }
        while head < entries.count, entries[head].done {
            committable = entries[head].offset + 1
            head += 1
        }
        compact()
        return committable
    }

    private func indexOf(_ offset: Int64) -> Int? {
        var low = head
        var high = entries.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let value = entries[middle].offset
            if value == offset { return middle }
            if value < offset { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }

    private mutating func compact() {
        if head == entries.count {
            entries.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
