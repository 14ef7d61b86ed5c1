import CatFeeSimulator
import Dispatch
import Foundation
import Kafka
import Worker

/// The command line: parses the subcommand, then delegates. Exit codes follow contract.md: 0 after a clean
/// shutdown, 64 (EX_USAGE) for invalid configuration, 1 for fatal runtime errors.
@main
struct CatFeeWorkerCommand {
    static let usage = """
        usage: catfee-worker [run] [--setting-name value ...]   run the worker (configured by environment variables)
               catfee-worker demo                              embedded demo: mock Kafka + CatFee simulator, then exit
               catfee-worker check-config [flags]              validate the configuration and print it, secrets masked
               catfee-worker simulator [flags]                 run the CatFee simulator on its own (see simulator --help)
               catfee-worker mock-cluster [--brokers N] [--topic NAME:PARTITIONS ...]
                                                               run librdkafka's mock Kafka cluster on loopback
               catfee-worker --help | --version
        """

    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let command = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "run"
        if arguments.first == command { arguments.removeFirst() }
        if arguments.contains("--help") || arguments.contains("-h") || command == "help" {
            printHelp(for: command)
            exit(0)
        }
        if arguments.contains("--version") {
            print("catfee-worker \(version)")
            exit(0)
        }
        switch command {
        case "run": exit(await runWorker(arguments: arguments))
        case "check-config": exit(checkConfig(arguments: arguments))
        case "demo": exit(await Demo.run())
        case "simulator": exit(await SimulatorCommand.run(arguments: arguments))
        case "mock-cluster": exit(await MockClusterCommand.run(arguments: arguments))
        default:
            FileHandle.standardError.write(Data("catfee-worker: unknown command '\(command)'\n\(usage)\n".utf8))
            exit(64)
        }
    }

    static let version = "0.1.0"

    static func printHelp(for command: String) {
        if command == "simulator" {
            print(SimulatorConfiguration.usage)
            return
        }
        if command == "mock-cluster" {
            print(MockClusterCommand.usage)
            return
        }
        print(usage)
        print("\nSettings (environment variable, flag, default):")
        for setting in WorkerConfiguration.settings {
            let name = setting.name.padding(toLength: 32, withPad: " ", startingAt: 0)
            let flag = setting.flag.padding(toLength: 34, withPad: " ", startingAt: 0)
            print("  \(name)\(flag)default: \(setting.defaultValue)\n      \(setting.help)")
        }
    }

    static func loadConfiguration(arguments: [String]) -> WorkerConfiguration? {
        do {
            return try WorkerConfiguration.load(environment: ProcessInfo.processInfo.environment, arguments: arguments)
        } catch {
            FileHandle.standardError.write(Data("catfee-worker: \(error)\n".utf8))
            return nil
        }
    }

    static func checkConfig(arguments: [String]) -> Int32 {
        guard let configuration = loadConfiguration(arguments: arguments) else { return 64 }
        print(configuration.maskedDescription)
        print("configuration ok")
        return 0
    }

    static func runWorker(arguments: [String]) async -> Int32 {
        guard let configuration = loadConfiguration(arguments: arguments) else { return 64 }
        let logger = Logger(level: configuration.logLevel, format: configuration.logFormat)
        let service = WorkerService(configuration: configuration, logger: logger)
        let signals = SignalHandling.install { service.requestShutdown() }
        defer { signals.cancel() }
        do {
            try await service.run()
            return 0
        } catch {
            logger.error("catfee-worker failed", [("error", error.description)])
            return 1
        }
    }
}

/// SIGTERM and SIGINT start a graceful shutdown; a second signal exits at once.
enum SignalHandling {
    /// The installed sources; `@unchecked` because DispatchSource is thread-safe but not annotated Sendable.
    final class Installation: @unchecked Sendable {
        let sources: [any DispatchSourceSignal]
        init(sources: [any DispatchSourceSignal]) { self.sources = sources }
        func cancel() { sources.forEach { $0.cancel() } }
    }

    static func install(onFirst: @escaping @Sendable () -> Void) -> Installation {
        let queue = DispatchQueue(label: "catfee-worker.signals")
        let received = ManagedCounter()
        let sources = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if received.increment() == 1 {
                    onFirst()
                } else {
                    FileHandle.standardError.write(Data("catfee-worker: second signal, exiting at once\n".utf8))
                    exit(128 + number)
                }
            }
            source.resume()
            return source
        }
        return Installation(sources: sources)
    }

    final class ManagedCounter: @unchecked Sendable {
        // Only touched on the serial signal queue.
        private var value = 0
        func increment() -> Int {
            value += 1
            return value
        }
    }

    /// Waits for SIGTERM or SIGINT.
    static func waitForTermination() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = OnceFlag()
            let installation = install {
                if once.set() { continuation.resume() }
            }
            _ = Unmanaged.passRetained(installation)
        }
    }

    final class OnceFlag: @unchecked Sendable {
        // Only touched on the serial signal queue.
        private var done = false
        func set() -> Bool {
            defer { done = true }
            return !done
        }
    }
}
