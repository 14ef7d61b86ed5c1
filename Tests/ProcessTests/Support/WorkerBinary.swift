import Foundation

/// Finds the `catfee-worker` executable the process tests spawn.
enum WorkerBinary {
    /// The executable: `CATFEE_WORKER_BINARY` when set, else a file named `catfee-worker` next to the test bundle
    /// (SwiftPM builds both into the same `.build/<configuration>` directory).
    /// - Throws: ``Missing`` with a message saying to run `swift build` first.
    static func locate() throws -> URL {
        let fileManager = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["CATFEE_WORKER_BINARY"], !explicit.isEmpty {
            guard fileManager.isExecutableFile(atPath: explicit) else {
                throw Missing(description: "CATFEE_WORKER_BINARY=\(explicit) is not an executable file")
            }
            return URL(fileURLWithPath: explicit)
        }
        let starts = [CommandLine.arguments.first, Bundle.main.bundlePath, Bundle.main.executablePath]
            .compactMap { $0 }
            .map { URL(fileURLWithPath: $0).standardizedFileURL }
        var searched: [String] = []
        for start in starts {
            var directory = start.deletingLastPathComponent()
            for _ in 0..<6 {
                let candidate = directory.appendingPathComponent("catfee-worker")
                var isDirectory: ObjCBool = false
                if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    fileManager.isExecutableFile(atPath: candidate.path)
                {
                    return candidate
                }
                searched.append(directory.path)
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        throw Missing(
            description: "no catfee-worker executable next to the tests (searched \(Set(searched).sorted())): "
                + "run `swift build` first, or set CATFEE_WORKER_BINARY")
    }

    /// The executable could not be found.
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }
}
