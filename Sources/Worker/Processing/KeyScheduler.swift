/// Runs work for one key at a time, in arrival order; different keys run in parallel.
///
/// Two intents with the same `client_order_id` must never race at CatFee: the second waits behind the first and
/// its answer is then the duplicate one. A plain value type: the pipeline keeps it behind its lock.
public struct KeyScheduler<Item: Sendable>: Sendable {
    private var waiting: [String: [Item]] = [:]
    private var running: Set<String> = []

    /// Creates an empty scheduler.
    public init() {}

    /// Keys with work running.
    public var runningCount: Int { running.count }

    /// Items queued behind a running item of the same key.
    public var waitingCount: Int { waiting.values.reduce(0) { $0 + $1.count } }

    /// Adds `item` for `key`. Returns the item when it may run now, nil when it waits behind its key.
    public mutating func submit(_ item: Item, key: String) -> Item? {
        if running.insert(key).inserted { return item }
        waiting[key, default: []].append(item)
        return nil
    }

    /// Marks the running item of `key` complete. Returns the next item of that key, which is now running.
    public mutating func complete(key: String) -> Item? {
        guard running.contains(key) else { return nil }
        // In place: a copy of the queue taken out of the dictionary would make `removeFirst` copy all of it.
        if let index = waiting.index(forKey: key), !waiting.values[index].isEmpty {
            let next = waiting.values[index].removeFirst()
            if waiting.values[index].isEmpty { waiting.remove(at: index) }
            return next
        }
        running.remove(key)
        return nil
    }

    /// Removes waiting (not running) items matching `predicate`, e.g. those of a revoked partition, and returns them.
    public mutating func removeWaiting(where predicate: (Item) -> Bool) -> [Item] {
        var removed: [Item] = []
        for (key, queue) in waiting {
            let kept = queue.filter { !predicate($0) }
            if kept.count != queue.count {
                removed.append(contentsOf: queue.filter(predicate))
                waiting[key] = kept.isEmpty ? nil : kept
            }
        }
        return removed
    }
}
