import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Monitor
import PlantConfig
import Testing

@testable import MonitorServer

/// What the browser revealed and how the large answers are written: percent-encoded path parameters, the
/// alarm limits trends draw, and the streaming JSON writer.
@Suite struct APIEncodingTests {
    func app(_ state: MonitorState) -> some ApplicationProtocol {
        buildApplication(
            state: state,
            configuration: HTTPConfiguration(
                host: "127.0.0.1", port: 0,
                tokens: [MonitorServerTests.token: "alice"]))
    }

    /// The dashboard sends alarm ids through `encodeURIComponent`, so `PW1.TT101:H` arrives as `PW1.TT101%3AH`.
    @Test func percentEncodedPathParametersAreDecoded() async throws {
        let state = try MonitorServerTests.state()
        let bearer: HTTPFields = [.authorization: "Bearer \(MonitorServerTests.token)"]
        try await app(state).test(.router) { client in
            try await client.execute(
                uri: "/api/v1/alarms/PW1.TT101%3AH/shelve?minutes=30", method: .post, headers: bearer
            ) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(String(buffer: response.body).contains(#""id":"PW1.TT101:H""#))
            }
            try await client.execute(uri: "/api/v1/tags/PW1%2ETT101", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/v1/alarms/PW1.TT101%zz/ack", method: .post, headers: bearer) {
                response in
                #expect(response.status == .badRequest || response.status == .notFound, "\(response.status)")
                #expect(String(buffer: response.body).contains(#""error""#))
            }
        }
    }

    @Test func tagsCarryTheirAlarmLimits() async throws {
        let state = try MonitorServerTests.state()
        try await app(state).test(.router) { client in
            try await client.execute(uri: "/api/v1/tags/PW1.TT101", method: .get) { response in
                let tag =
                    try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                #expect(tag?["limits"] as? [String: Double] == ["L": 139, "H": 169, "HH": 179])
                #expect((tag?["quality"] as? [String: Any])?["status"] as? String == "uncertain" && tag?["value"] is NSNull, "never read yet")
                #expect(tag?["time"] is NSNull, "a tag never read has no time (not 1970)")
            }
            try await client.execute(uri: "/api/v1/tags/PW1.AT102", method: .get) { response in
                #expect(String(buffer: response.body).contains(#""limits":null"#))
            }
        }
    }

    /// The writer's text parses back to what was written: separators, escapes, integers, non-finite numbers.
    @Test func jsonWriterRoundTrips() throws {
        let awkward = "quote \" backslash \\ newline \n tab \t bell \u{07} °C Ω 😀"
        var w = JSONWriter()
        w.beginObject()
        w.key(awkward)
        w.string(awkward)
        w.key("ints")
        w.beginArray()
        for value: Int64 in [0, -1, 42, .max, .min] { w.int(value) }
        w.endArray()
        w.key("numbers")
        w.beginArray()
        for value in [1.5, -0.25, 1e300, 3, .nan, .infinity] { w.number(value) }
        w.endArray()
        w.key("empty")
        w.beginArray()
        w.endArray()
        w.key("nested")
        w.beginArray()
        w.beginObject()
        w.endObject()
        w.beginObject()
        w.key("a")
        w.null()
        w.endObject()
        w.endArray()
        w.key("flags")
        w.beginArray()
        w.bool(true)
        w.bool(false)
        w.string(nil as String?)
        w.endArray()
        w.endObject()
        let parsed = try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: Any]
        #expect(parsed?[awkward] as? String == awkward)
        #expect((parsed?["ints"] as? [NSNumber])?.map(\.int64Value) == [0, -1, 42, .max, .min])
        let numbers = parsed?["numbers"] as? [Any] ?? []
        #expect(numbers.count == 6 && numbers[4] is NSNull && numbers[5] is NSNull)
        #expect((Array(numbers.prefix(4)) as? [NSNumber])?.map(\.doubleValue) == [1.5, -0.25, 1e300, 3])
        #expect((parsed?["empty"] as? [Any])?.isEmpty == true && (parsed?["nested"] as? [[String: Any]])?.count == 2)
        #expect(String(decoding: w.bytes, as: UTF8.self).contains(#""numbers":[1.5,-0.25,1e+300,3,null,null]"#))
        // The tree writes through the same writer.
        #expect(
            JSON.pairs([("a", .array([.number(1), .string("x")])), ("b", .null)]).text == #"{"a":[1,"x"],"b":null}"#)
    }
}
