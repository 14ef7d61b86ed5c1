import CatFeeSimulator
import Foundation
import Kafka

/// `catfee-worker simulator`: the CatFee simulator on its own, for local development and the benchmark.
enum SimulatorCommand {
    static func run(arguments: [String]) async -> Int32 {
        let configuration: SimulatorConfiguration
        do {
            configuration = try SimulatorConfiguration.parse(arguments: arguments)
        } catch {
            FileHandle.standardError.write(Data("catfee-worker simulator: \(error)\n".utf8))
            return 64
        }
        let simulator: CatFeeSimulator
        do {
            simulator = try CatFeeSimulator(configuration: configuration)
        } catch {
            FileHandle.standardError.write(Data("catfee-worker simulator: cannot start: \(error)\n".utf8))
            return 1
        }
        print("CatFee simulator listening on \(simulator.baseURL)")
        print("control: GET \(simulator.baseURL)/_sim/ledger, POST \(simulator.baseURL)/_sim/faults")
        fflush(nil)
        await SignalHandling.waitForTermination()
        simulator.stop()
        return 0
    }
}

/// `catfee-worker mock-cluster`: librdkafka's mock cluster in a process of its own.
enum MockClusterCommand {
    static let usage = """
        usage: catfee-worker mock-cluster [--brokers N] [--topic NAME:PARTITIONS ...]
          --brokers N                 brokers of the cluster, 1 to 10 (default 3)
          --topic NAME:PARTITIONS     create a topic (repeatable)
        Prints `bootstrap.servers=HOST:PORT,...` (use the part after `=` as KAFKA_BOOTSTRAP_SERVERS), then runs
        in the foreground until SIGTERM or SIGINT. librdkafka's mock cluster keeps everything in memory.
        """

    static func run(arguments: [String]) async -> Int32 {
        var brokers = 3
        var topics: [(String, Int32)] = []
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            guard index + 1 < arguments.count else {
                FileHandle.standardError.write(Data("catfee-worker mock-cluster: \(flag) needs a value\n".utf8))
                return 64
            }
            let value = arguments[index + 1]
            switch flag {
            case "--brokers":
                guard let count = Int(value), (1...10).contains(count) else {
                    FileHandle.standardError.write(Data("catfee-worker mock-cluster: --brokers must be 1 to 10\n".utf8))
                    return 64
                }
                brokers = count
            case "--topic":
                let parts = value.split(separator: ":")
                guard parts.count == 2, let partitions = Int32(parts[1]), partitions > 0 else {
                    FileHandle.standardError.write(
                        Data("catfee-worker mock-cluster: --topic must be NAME:PARTITIONS, got '\(value)'\n".utf8))
                    return 64
                }
                topics.append((String(parts[0]), partitions))
            default:
                FileHandle.standardError.write(Data("catfee-worker mock-cluster: unknown option \(flag)\n".utf8))
                return 64
            }
            index += 2
        }
        do {
            let cluster = try KafkaMockCluster(brokers: brokers)
            for (name, partitions) in topics { try cluster.createTopic(name, partitions: partitions) }
            print("bootstrap.servers=\(cluster.bootstrapServers)")
            fflush(nil)
            await SignalHandling.waitForTermination()
            cluster.close()
            return 0
        } catch {
            FileHandle.standardError.write(Data("catfee-worker mock-cluster: \(error)\n".utf8))
            return 1
        }
    }
}
