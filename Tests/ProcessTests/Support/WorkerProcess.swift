import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One `catfee-worker run` child process, its combined stdout and stderr captured in a log file.
///
/// Thread-safe: the `Process` is only touched under a lock.
final class WorkerProcess: Sendable {
    /// How a child process ended.
    enum Exit: Equatable, Sendable, CustomStringConvertible {
        /// It called exit with this status.
        case status(Int32)
        /// A signal ended it.
        case signal(Int32)

        var description: String {
            switch self {
            case .status(let status): "exit status \(status)"
            case .signal(let signal): "signal \(signal)"
            }
        }
    }

    /// A name for diagnostics (`worker-1`, ...).
    let name: String
    /// Where the child's output goes.
    let logURL: URL
    /// The child's process id.
    let pid: Int32
    private let process: Mutex<Process>

    /// Starts `binary run` with exactly `environment`, its output appended to `logURL`.
    /// - Throws: when the file cannot be created or the binary cannot be started.
    init(name: String, binary: URL, environment: [String: String], logURL: URL) throws {
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: logURL)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run"]
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try output.close()
        self.name = name
        self.logURL = logURL
        self.pid = process.processIdentifier
        self.process = Mutex(process)
    }

    /// Whether the child still runs.
    var isRunning: Bool { process.withLock { $0.isRunning } }

    /// How the child ended, or nil while it runs.
    var exit: Exit? {
        process.withLock { process in
            guard !process.isRunning else { return nil }
            return process.terminationReason == .uncaughtSignal
                ? .signal(process.terminationStatus) : .status(process.terminationStatus)
        }
    }

    /// Sends `signal` (SIGKILL, SIGTERM) to the child if it still runs.
    func send(_ signal: Int32) {
        process.withLock { process in
            if process.isRunning { _ = kill(process.processIdentifier, signal) }
        }
    }

    /// Waits until the child ended or `timeout` passed; returns how it ended, or nil when it still runs.
    func waitForExit(timeout: Duration) async -> Exit? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let exit { return exit }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return exit
    }

    /// SIGKILLs the child and waits (bounded) until it is reaped.
    func killAndWait() async {
        send(SIGKILL)
        _ = await waitForExit(timeout: .seconds(10))
    }

    /// Everything the child wrote so far.
    var log: String {
        (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    }

    /// How many lines of the log contain `text`.
    func logCount(_ text: String) -> Int {
        log.split(separator: "\n").filter { $0.contains(text) }.count
    }

    /// The last `lines` lines of the log, for failure messages.
    func logTail(lines: Int = 40) -> String {
        log.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
