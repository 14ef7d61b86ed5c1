import CatFee
import Foundation
import Testing
import Worker

@Suite struct IntentDecoderTests {
    static let receiver = TronAddressValidator.address(account: Array(repeating: 0x11, count: 20))

    @Test func decodesAFullIntent() {
        let value =
            #"{"receiver":"\#(Self.receiver)","quantity":65000,"duration":"1h","activate":false,"client_order_id":"k1","extra":{"x":1}}"#
        let outcome = IntentDecoder.decode(value: Array(value.utf8), clientOrderID: "k1")
        #expect(
            outcome
                == .intent(
                    Intent(
                        clientOrderID: "k1", receiver: Self.receiver, quantity: 65000, duration: "1h", activate: false))
        )
    }

    @Test func defaultsDurationAndLeavesActivateOut() {
        let value = #"{"receiver":"\#(Self.receiver)","quantity":100000}"#
        guard case .intent(let intent) = IntentDecoder.decode(value: Array(value.utf8), clientOrderID: "k") else {
            Issue.record("expected an intent")
            return
        }
        #expect(intent.duration == "1h")
        #expect(intent.activate == nil)
    }

    @Test(arguments: [
        (#"{"quantity":65000}"#, "receiver_missing"),
        (#"{"receiver":5,"quantity":65000}"#, "receiver_invalid"),
        (#"{"receiver":"TXYZ","quantity":65000}"#, "receiver_invalid"),
        (#"{"receiver":"$R","quantity":"65000"}"#, "quantity_not_integer"),
        (#"{"receiver":"$R","quantity":65000.0}"#, "quantity_not_integer"),
        (#"{"receiver":"$R","quantity":6.5e4}"#, "quantity_not_integer"),
        (#"{"receiver":"$R"}"#, "quantity_missing"),
        (#"{"receiver":"$R","quantity":64999}"#, "quantity_too_low"),
        (#"{"receiver":"$R","quantity":-1}"#, "quantity_too_low"),
        (#"{"receiver":"$R","quantity":99999999999999999999}"#, "quantity_not_integer"),
        (#"{"receiver":"$R","quantity":65000,"duration":"2h"}"#, "duration_unsupported"),
        (#"{"receiver":"$R","quantity":65000,"duration":1}"#, "duration_invalid"),
        (#"{"receiver":"$R","quantity":65000,"activate":"yes"}"#, "activate_invalid"),
        (#"{"receiver":"$R","quantity":65000,"client_order_id":"other"}"#, "client_order_id_mismatch"),
    ])
    func rejectsInvalidFields(_ template: String, _ code: String) {
        let value = template.replacingOccurrences(of: "$R", with: Self.receiver)
        guard case .rejected(let failure) = IntentDecoder.decode(value: Array(value.utf8), clientOrderID: "k") else {
            Issue.record("expected a rejection for \(value)")
            return
        }
        #expect(failure.code == code)
        #expect(!failure.message.isEmpty)
    }

    @Test(arguments: [
        ("", "value-not-json-object"), ("[1,2]", "value-not-json-object"),
        (#"{"receiver": "T"#, "value-not-json-object"),
        ("null", "value-not-json-object"), ("\"text\"", "value-not-json-object"),
    ])
    func deadLettersValuesThatAreNotObjects(_ value: String, _ reason: String) {
        guard case .deadLetter(let dead) = IntentDecoder.decode(value: Array(value.utf8), clientOrderID: "k") else {
            Issue.record("expected a dead letter for \(value)")
            return
        }
        #expect(dead.code == reason)
    }

    @Test func deadLettersInvalidUTF8AndHugeValues() {
        if case .deadLetter(let reason) = IntentDecoder.decode(
            value: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], clientOrderID: "k")
        {
            #expect(reason.code == "value-not-utf8")
        } else {
            Issue.record("expected a dead letter")
        }
        let huge = Array(repeating: UInt8(ascii: " "), count: IntentDecoder.maximumValueSize + 1)
        if case .deadLetter(let reason) = IntentDecoder.decode(value: huge, clientOrderID: "k") {
            #expect(reason.code == "value-too-large")
        } else {
            Issue.record("expected a dead letter")
        }
        if case .deadLetter(let reason) = IntentDecoder.decode(value: nil, clientOrderID: "k") {
            #expect(reason.code == "value-not-json-object")
        } else {
            Issue.record("expected a dead letter")
        }
    }

    @Test(
        arguments: [
            (nil, "missing-key"), ([], "empty-key"), (Array(repeating: UInt8(ascii: "a"), count: 65), "key-too-long"),
            (Array("a b".utf8), "key-not-printable-ascii"), (Array("tab\t".utf8), "key-not-printable-ascii"),
            (Array("é".utf8), "key-not-printable-ascii"), ([0x61, 0x00], "key-not-printable-ascii"),
            ([0x7F], "key-not-printable-ascii"),
        ] as [([UInt8]?, String)])
    func rejectsBadKeys(_ key: [UInt8]?, _ reason: String) {
        guard case .failure(let failure) = IntentDecoder.clientOrderID(fromKey: key) else {
            Issue.record("expected a dead-letter reason")
            return
        }
        #expect(failure.code == reason)
    }

    @Test func acceptsEveryPrintableASCIIKeyUpTo64Bytes() {
        let printable = (0x21...0x7E).map { UInt8($0) }
        #expect(
            IntentDecoder.clientOrderID(fromKey: Array(printable.prefix(64)))
                == .success(String(decoding: printable.prefix(64), as: UTF8.self)))
        #expect(IntentDecoder.clientOrderID(fromKey: Array("a+b/c=d&e%f~".utf8)) == .success("a+b/c=d&e%f~"))
    }
}
