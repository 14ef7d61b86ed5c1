internal import CCurl
import Foundation
import Locking

/// A dedicated thread driving one libcurl multi handle: every CatFee request of a client runs on it.
///
/// Tasks submit ``CurlTransfer``s through a lock-protected queue and wake the thread through an eventfd. The thread
/// uses libcurl's event-driven API: libcurl tells it which sockets to watch (`CURLMOPT_SOCKETFUNCTION`) and when to
/// time out (`CURLMOPT_TIMERFUNCTION`); the thread waits on them with epoll and hands each ready socket to
/// `curl_multi_socket_action`. Only the transfers whose sockets are ready are looked at, so a wake-up costs the
/// same with 5 or 500 requests in flight (`curl_multi_perform` would check every transfer's socket with a `poll`
/// system call of its own on every wake-up). The multi handle's connection cache keeps connections alive between
/// requests (up to `maxConnections` per host). Proxy settings follow libcurl's defaults, including the
/// `http_proxy` / `https_proxy` / `no_proxy` environment variables.
final class CurlMultiLoop: Sendable {
    private struct Handle: @unchecked Sendable {
        let raw: UnsafeMutableRawPointer
    }

    private struct Queue {
        var pending: [CurlTransfer] = []
        var stopping = false
    }

    private let multi: Handle
    private let epoll: Int32
    private let wakeup: Int32
    private let queue = Locked(Queue())
    private let exited = DispatchSemaphore(value: 0)

    /// Starts the thread; nil when libcurl cannot create a multi handle or the system refuses epoll or an eventfd.
    init?(maxConnections: Int) {
        _ = CurlFunctions.globalInit
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { return nil }
        let wakeup = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(fd: wakeup))
        guard wakeup >= 0, epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event) == 0, let raw = curl_multi_init() else {
            if wakeup >= 0 { close(wakeup) }
            close(epoll)
            return nil
        }
        multi = Handle(raw: raw)
        self.epoll = epoll
        self.wakeup = wakeup
        let connections = max(1, maxConnections)
        _ = CurlFunctions.multiSetoptInt(raw, CURLMOPT_MAX_HOST_CONNECTIONS, connections)
        _ = CurlFunctions.multiSetoptInt(raw, CURLMOPT_MAXCONNECTS, max(8, connections))
        let thread = Thread { [self] in run() }
        thread.name = "catfee-curl"
        thread.start()
    }

    /// Queues `transfer`; false (transfer untouched) after ``shutdown()``.
    func submit(_ transfer: CurlTransfer) -> Bool {
        let (accepted, wasEmpty) = queue.withLock { state -> (Bool, Bool) in
            guard !state.stopping else { return (false, false) }
            state.pending.append(transfer)
            return (true, state.pending.count == 1)
        }
        // One wake-up per batch: the thread takes the whole queue when it wakes.
        if accepted, wasEmpty { wake() }
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
        wake()
        exited.wait()
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeup, &one, MemoryLayout<UInt64>.size)
    }

    /// What libcurl's callbacks change, owned by the loop thread.
    private final class LoopState {
        let epoll: Int32
        /// When libcurl wants `curl_multi_socket_action(CURL_SOCKET_TIMEOUT)`; nil for never.
        var deadline: ContinuousClock.Instant?
        /// The sockets in the epoll set, so that a change costs one `epoll_ctl` (a connection is added, changed from
        /// sending to receiving, and removed once per request).
        var watched: Set<curl_socket_t> = []

        init(epoll: Int32) { self.epoll = epoll }
    }

    private typealias SocketCallback =
        @convention(c) (
            UnsafeMutableRawPointer?, curl_socket_t, Int32, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?
        )
        -> Int32
    private typealias TimerCallback = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Int32

    /// libcurl asks to watch `socket` for `what` (`CURL_POLL_IN`, `_OUT`, `_INOUT`) or to stop (`CURL_POLL_REMOVE`).
    private static let socketCallback: SocketCallback = { _, socket, what, context, _ in
        guard let context else { return -1 }
        let state = Unmanaged<LoopState>.fromOpaque(context).takeUnretainedValue()
        if what == CURL_POLL_REMOVE {
            state.watched.remove(socket)
            _ = epoll_ctl(state.epoll, EPOLL_CTL_DEL, socket, nil)
            return 0
        }
        var events: UInt32 = 0
        if what == CURL_POLL_IN || what == CURL_POLL_INOUT { events |= EPOLLIN.rawValue }
        if what == CURL_POLL_OUT || what == CURL_POLL_INOUT { events |= EPOLLOUT.rawValue }
        var event = epoll_event(events: events, data: epoll_data_t(fd: socket))
        // A watched socket is modified, a new one added. A descriptor closed without a REMOVE left the epoll set by
        // itself and its number may come back: whichever call fails, the other one is made.
        let watched = !state.watched.insert(socket).inserted
        if epoll_ctl(state.epoll, watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, socket, &event) != 0 {
            _ = epoll_ctl(state.epoll, watched ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, socket, &event)
        }
        return 0
    }

    /// libcurl asks to be called back after `milliseconds` (0: at once), or never (-1).
    private static let timerCallback: TimerCallback = { _, milliseconds, context in
        guard let context else { return -1 }
        let state = Unmanaged<LoopState>.fromOpaque(context).takeUnretainedValue()
        state.deadline = milliseconds < 0 ? nil : .now + .milliseconds(milliseconds)
        return 0
    }

    private func run() {
        let state = LoopState(epoll: epoll)
        let context = UnsafeRawPointer(Unmanaged.passUnretained(state).toOpaque())
        _ = CurlFunctions.multiSetoptPointer(
            multi.raw, CURLMOPT_SOCKETFUNCTION, unsafeBitCast(Self.socketCallback, to: UnsafeRawPointer.self))
        _ = CurlFunctions.multiSetoptPointer(multi.raw, CURLMOPT_SOCKETDATA, context)
        _ = CurlFunctions.multiSetoptPointer(
            multi.raw, CURLMOPT_TIMERFUNCTION, unsafeBitCast(Self.timerCallback, to: UnsafeRawPointer.self))
        _ = CurlFunctions.multiSetoptPointer(multi.raw, CURLMOPT_TIMERDATA, context)

        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        let capacity = 64
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        var running: Int32 = 0
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
                // Adding a handle sets a timer of 0: the transfer starts below.
                if curl_multi_add_handle(multi.raw, transfer.easy) == CURLM_OK {
                    active[transfer.easy] = transfer
                } else {
                    transfer.fail(.network("could not add the request to libcurl"))
                }
            }
            if let deadline = state.deadline, deadline <= .now {
                state.deadline = nil
                curl_multi_socket_action(multi.raw, CURL_SOCKET_TIMEOUT, 0, &running)
            }
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi.raw, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi.raw, easy)
                active.removeValue(forKey: easy)?.finish(code: code)
            }
            // A timer set meanwhile (by a completion's follow-up, say) is served without sleeping.
            if let deadline = state.deadline, deadline <= .now { continue }
            let timeout = state.deadline.map { Self.milliseconds(until: $0) } ?? 1000
            let count = epoll_wait(epoll, events, Int32(capacity), timeout)
            guard count > 0 else { continue }
            for index in 0..<Int(count) {
                let event = events[index]
                let socket = event.data.fd
                if socket == wakeup {
                    var value: UInt64 = 0
                    _ = read(wakeup, &value, MemoryLayout<UInt64>.size)
                    continue
                }
                var mask: Int32 = 0
                if event.events & EPOLLIN.rawValue != 0 { mask |= CURL_CSELECT_IN }
                if event.events & EPOLLOUT.rawValue != 0 { mask |= CURL_CSELECT_OUT }
                // An error or hang-up is handed over as readable and writable, as libcurl's own poll loop does: libcurl then
                // reads the real error (and may retry a dead keep-alive connection); CURL_CSELECT_ERR alone would turn
                // it into a generic "select/poll returned error".
                if event.events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
                    mask |= CURL_CSELECT_IN | CURL_CSELECT_OUT
                }
                curl_multi_socket_action(multi.raw, socket, mask, &running)
            }
        }
        active.removeAll()
        // The socket callback may still run here (REMOVE for cached connections): `state` and the epoll descriptor
        // stay alive until after the cleanup. Both descriptors are closed in `deinit`, once no thread can call
        // `wake()` any more: closing them here could let a late `wake()` write into a reused descriptor.
        withExtendedLifetime(state) { _ = curl_multi_cleanup(multi.raw) }
        exited.signal()
    }

    deinit {
        close(wakeup)
        close(epoll)
    }

    /// Whole milliseconds from now to `deadline`, rounded up (epoll's resolution), at least 0.
    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let components = (deadline - .now).components
        guard components.seconds >= 0, components.attoseconds >= 0 else { return 0 }
        let milliseconds =
            components.seconds * 1000 + (components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
