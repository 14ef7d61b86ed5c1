import Dispatch

/// Runs blocking librdkafka work (a metadata query, reading a topic to its end: each can take seconds) on a Dispatch
/// thread and awaits its result, so async code never holds one of the cooperative pool's threads, of which there are
/// as many as cores, while it waits on a broker.
public func awayFromCooperativePool<T: Sendable, Failure: Error>(
    _ body: @escaping @Sendable () throws(Failure) -> T
) async throws(Failure) -> T {
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, Failure>, Never>) in
        DispatchQueue.global().async {
            do throws(Failure) {
                continuation.resume(returning: .success(try body()))
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
    }
    return try result.get()
}
