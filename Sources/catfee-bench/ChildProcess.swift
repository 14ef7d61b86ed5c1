import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, its standard output and error sent to files.
///
/// Unlike Foundation's `Process`, the benchmark reaps the child itself with `wait4`, which returns the child's own
/// CPU time, measured by the kernel for that process alone. (Not its peak memory: Linux carries the spawning
/// process's peak into `ru_maxrss` across exec; the benchmark reads `VmHWM` instead.)
final class ChildProcess {
    /// What `wait4` reported when the child ended.
    struct Exit {
        /// The exit status, or 128 + signal when it was killed.
        var status: Int32
        /// User plus system CPU time of the child, in seconds.
        var cpuSeconds: Double
    }

    let pid: pid_t
    let name: String
    /// Where the child's standard output goes.
    let stdoutPath: String
    /// Where the child's standard error goes.
    let stderrPath: String
    private var exited: Exit?

    /// Starts `executable` with `arguments` and exactly `environment` (nothing inherited).
    init(name: String, executable: String, arguments: [String], environment: [String: String], directory: URL) throws {
        self.name = name
        stdoutPath = directory.appendingPathComponent("\(name).out").path
        stderrPath = directory.appendingPathComponent("\(name).err").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // The child starts with no blocked signals and default handlers: the spawning thread may be a pool thread
        // with signals blocked, and a child inheriting that mask would ignore SIGTERM and SIGINT.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let code = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw BenchError("cannot start \(executable): \(String(cString: strerror(code)))") }
        pid = child
    }

    deinit {
        if exited == nil {
            kill(pid, SIGKILL)
            _ = waitForExit()
        }
    }

    /// Waits (polling the output file) until a line of standard output starts with `prefix`; returns the rest.
    func waitForLine(prefix: String, timeout: Duration = .seconds(30)) throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: stdoutPath, encoding: .utf8) {
                for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
                    return String(line.dropFirst(prefix.count))
                }
            }
            if reap(options: WNOHANG) != nil {
                throw BenchError("\(name) exited before printing '\(prefix)'; see \(stderrPath)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw BenchError("\(name) did not print '\(prefix)' within \(timeout); see \(stderrPath)")
    }

    /// The exit when the child has ended (reaping it), nil while it runs.
    func exitIfEnded() -> Exit? { exited ?? reap(options: WNOHANG) }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) { kill(pid, signal) }

    /// Reaps the child (blocking) and returns its exit status and resource usage.
    @discardableResult
    func waitForExit() -> Exit {
        if let exited { return exited }
        while true {
            if let exit = reap(options: 0) { return exit }
            if errno != EINTR { return Exit(status: -1, cpuSeconds: 0) }
        }
    }

    /// SIGTERM, then SIGKILL when the child has not ended within `grace`; returns what `wait4` reported.
    func stop(grace: Duration = .seconds(20)) -> Exit {
        if let exited { return exited }
        send(SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if let exit = reap(options: WNOHANG) { return exit }
            Thread.sleep(forTimeInterval: 0.02)
        }
        send(SIGKILL)
        return waitForExit()
    }

    /// One `wait4`; the exit when the child was reaped.
    private func reap(options: Int32) -> Exit? {
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, options, &usage) == pid else { return nil }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let exit = Exit(
            status: code, cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime))
        exited = exit
        return exit
    }
}

/// A benchmark failure, with a message for the operator.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
