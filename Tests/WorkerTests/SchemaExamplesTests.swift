import Foundation
import JSON
import Testing
import Worker

/// The Swift decoder agrees with `schemas/intent.schema.json` on every example: `scripts/schema-test.sh` checks
/// the schema's verdict on the same files with check-jsonschema; this checks the decoder's.
@Suite struct SchemaExamplesTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas/examples")

    static func files(_ folder: String) -> [URL] {
        let directory = examples.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("intent-") && $0.hasSuffix(".json") }.sorted().map {
            directory.appendingPathComponent($0)
        }
    }

    /// Decodes one example with the key the examples README prescribes: its `client_order_id`, else the file stem.
    static func decode(_ file: URL) throws -> IntentDecoder.ValueOutcome {
        let bytes = Array(try Data(contentsOf: file))
        var key = file.deletingPathExtension().lastPathComponent
        if let json = try? JSONParser.parse(bytes), let id = json["client_order_id"]?.stringValue,
            case .success = IntentDecoder.clientOrderID(fromKey: Array(id.utf8))
        {
            key = id
        }
        return IntentDecoder.decode(value: bytes, clientOrderID: key)
    }

    @Test func everyFolderHasExamples() {
        #expect(Self.files("valid").count >= 6)
        #expect(Self.files("invalid").count >= 8)
        #expect(Self.files("decoder-only-invalid").count >= 2)
    }

    @Test(arguments: files("valid"))
    func decoderAcceptsValidExamples(_ file: URL) throws {
        guard case .intent = try Self.decode(file) else {
            Issue.record(
                "\(file.lastPathComponent): the schema accepts it, the decoder does not: \(try Self.decode(file))")
            return
        }
    }

    @Test(arguments: files("invalid") + files("decoder-only-invalid"))
    func decoderRefusesInvalidExamples(_ file: URL) throws {
        let outcome = try Self.decode(file)
        switch outcome {
        case .intent: Issue.record("\(file.lastPathComponent) was accepted")
        case .deadLetter(let reason):
            #expect(["intent-not-an-object.json", "intent-null.json"].contains(file.lastPathComponent), "\(reason)")
        case .rejected(let failure):
            #expect(!failure.code.isEmpty)
        }
    }
}
