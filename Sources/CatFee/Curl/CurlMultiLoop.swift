internal import CCurl
import Foundation
import Locking

/// A dedicated thread driving one libcurl multi handle: every CatFee request of a client runs on it.
///
/// Tasks submit ``CurlTransfer``s through a lock-protected queue and `curl_multi_wakeup`; the thread adds them,
/// runs `curl_multi_perform` / `curl_multi_poll`, and completes finished transfers. The multi handle's connection
/// cache keeps connections alive between requests (up to `maxConnections` per host). Proxy settings follow libcurl's
/// defaults, including the `http_proxy` / `https_proxy` / `no_proxy` environment variables.
final class CurlMultiLoop: Sendable {
    private struct Handle: @unchecked Sendable {
        let raw: UnsafeMutableRawPointer
    }

    private struct Queue {
        var pending: [CurlTransfer] = []
        var stopping = false
    }

    private let multi: Handle
    private let queue = Locked(Queue())
    private let exited = DispatchSemaphore(value: 0)

    /// Starts the thread; nil when libcurl cannot create a multi handle.
    init?(maxConnections: Int) {
        _ = CurlFunctions.globalInit
        guard let raw = curl_multi_init() else { return nil }
        multi = Handle(raw: raw)
        let connections = max(1, maxConnections)
        _ = CurlFunctions.multiSetoptInt(raw, CURLMOPT_MAX_HOST_CONNECTIONS, connections)
        _ = CurlFunctions.multiSetoptInt(raw, CURLMOPT_MAXCONNECTS, max(8, connections))
        let thread = Thread { [self] in run() }
        thread.name = "catfee-curl"
        thread.start()
    }

    /// Queues `transfer`; false (transfer untouched) after ``shutdown()``.
    func submit(_ transfer: CurlTransfer) -> Bool {
        let accepted = queue.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.pending.append(transfer)
            return true
        }
        if accepted { curl_multi_wakeup(multi.raw) }
        return accepted
    }

    /// Fails queued and running transfers with `.network("client shut down")`, stops the thread and frees the handle.
    ///
    /// Idempotent; blocks until the thread has exited. Must not be called from a completion (the loop thread).
    func shutdown() {
        let first = queue.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        curl_multi_wakeup(multi.raw)
        exited.wait()
    }

    private func run() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            let (incoming, stopping) = queue.withLock { state -> ([CurlTransfer], Bool) in
                defer { state.pending.removeAll() }
                return (state.pending, state.stopping)
            }
            if stopping {
                for transfer in incoming { transfer.fail(.network("client shut down")) }
                for (easy, transfer) in active {
                    curl_multi_remove_handle(multi.raw, easy)
                    transfer.fail(.network("client shut down"))
                }
                break
            }
            for transfer in incoming {
                if curl_multi_add_handle(multi.raw, transfer.easy) == CURLM_OK {
                    active[transfer.easy] = transfer
                } else {
                    transfer.fail(.network("could not add the request to libcurl"))
                }
            }
            var running: Int32 = 0
            curl_multi_perform(multi.raw, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi.raw, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi.raw, easy)
                active.removeValue(forKey: easy)?.finish(code: code)
            }
            curl_multi_poll(multi.raw, nil, 0, 1000, nil)
        }
        active.removeAll()
        curl_multi_cleanup(multi.raw)
        exited.signal()
    }
}
