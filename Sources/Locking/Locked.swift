#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value guarded by a plain `pthread_mutex_t` (`PTHREAD_MUTEX_NORMAL`, no priority inheritance).
///
/// Why not `Synchronization.Mutex`: on Linux (Swift 6.3) it is built on priority-inheritance futexes
/// (`FUTEX_LOCK_PI`), which hand the lock to the first waiter and forbid lock stealing, and it spins before
/// sleeping. Under contention from many threads (the simulator's connection threads, the worker's cooperative pool)
/// that turns every hand-off into a context switch: the benchmark showed the simulator's threads spending most of
/// their CPU spinning in `Mutex.lockSlow` while the machine sat half idle. glibc's normal mutex lets a running
/// thread take a free lock at once.
///
/// Thread-safety: every access to the value goes through ``withLock(_:)``; the closure must not call back into the
/// same lock (not recursive).
public final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// A lock guarding `value`.
    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let result = pthread_mutex_init(mutex, nil)
        precondition(result == 0, "pthread_mutex_init failed: \(result)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value and returns its result.
    @inlinable
    public func withLock<Result, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        lock()
        defer { unlock() }
        return try body(&valueStorage)
    }

    @usableFromInline
    var valueStorage: Value {
        _read { yield value }
        _modify { yield &value }
    }

    @usableFromInline
    func lock() {
        pthread_mutex_lock(mutex)
    }

    @usableFromInline
    func unlock() {
        pthread_mutex_unlock(mutex)
    }
}
