import JSON
import Testing

@Suite struct JSONParserTests {
    @Test func keepsMemberOrderAndNumberLiterals() throws {
        let value = try JSONParser.parse(#"{"b":1,"a":65000.0,"c":[true,null,"x"],"big":123456789012345678901}"#)
        let members = try #require(value.objectMembers)
        #expect(members.map(\.0) == ["b", "a", "c", "big"])
        #expect(value["a"] == .number("65000.0"))
        #expect(value["a"]?.integerValue == nil)
        #expect(value["b"]?.integerValue == 1)
        #expect(value["big"]?.integerValue == nil)
        #expect(value.jsonText == #"{"b":1,"a":65000.0,"c":[true,null,"x"],"big":123456789012345678901}"#)
    }

    @Test(arguments: [
        #"{"a":1"#, #"{"a":1,}"#, "[1,]", "01", "1.", "-", #""abc"#, "tru", "{} {}", #"{"a" 1}"#, "\"\u{01}\"",
        #""\ud800""#, "",
    ])
    func rejectsMalformedDocuments(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func boundsNesting() {
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func decodesEscapesAndRoundTrips() throws {
        let value = try JSONParser.parse(#"{"s":"a\"b\\c\n\u00e9\ud83d\ude00/"}"#)
        #expect(value["s"]?.stringValue == "a\"b\\c\n\u{e9}\u{1F600}/")
        #expect(try JSONParser.parse(value.serialized()) == value)
    }

    @Test func settingReplacesOrAppends() {
        let value: JSONValue = ["a": 1, "b": 2]
        #expect(value.setting("a", to: 3).jsonText == #"{"a":3,"b":2}"#)
        #expect(value.setting("c", to: "x").jsonText == #"{"a":1,"b":2,"c":"x"}"#)
    }
}
