import Foundation

/// Runs blocking librdkafka work (a metadata query, reading a topic to its end: each can take seconds) on a thread
/// of its own and awaits its result, so async code never holds one of the cooperative pool's threads, of which
/// there are as many as cores, while it waits on a broker.
///
/// A thread per call, not `DispatchQueue.global()`: on Linux the global queue runs about as many blocks at once
/// as there are cores, so a few such calls at once queued behind each other and, past that, held the cooperative
/// pool up as well (eight 2 s calls delayed a cooperative task by a second; on threads of their own, by 0.1 ms).
/// For tests, the demo and tools, where starting a thread costs little beside a broker round trip.
public func awayFromCooperativePool<T: Sendable, Failure: Error>(
    _ body: @escaping @Sendable () throws(Failure) -> T
) async throws(Failure) -> T {
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, Failure>, Never>) in
        let thread = Thread {
            do throws(Failure) {
                continuation.resume(returning: .success(try body()))
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
        thread.name = "catfee-blocking"
        thread.start()
    }
    return try result.get()
}
