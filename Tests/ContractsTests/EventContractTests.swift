import Contracts
import Foundation
import Testing

@Suite struct EventContractTests {
    @Test(arguments: EventCatalog.all.map(\.eventType))
    func everyEventRoundTripsThroughJSON(_ eventType: String) throws {
        let descriptor = try #require(EventCatalog.descriptor(for: eventType))
        #expect(try descriptor.roundTripsUnchanged())
    }

    /// The outbox writes the envelope by hand around the payload; it must be what JSONEncoder writes.
    @Test(arguments: EventCatalog.all.map(\.eventType))
    func envelopeBytesAreJSONEncoders(_ eventType: String) throws {
        let descriptor = try #require(EventCatalog.descriptor(for: eventType))
        let awkward = "q\"b\\s/é\u{2028}😀 <&>" + String((0..<0x20).map { Character(UnicodeScalar(UInt8($0))) })
        for (correlationId, causationId) in [(nil, nil), ("req-1", UUID()), (awkward, nil), ("", UUID())] as [(String?, UUID?)] {
            #expect(try descriptor.encodesAsJSONEncoderDoes(correlationId, causationId), "\(eventType) \(String(describing: correlationId))")
        }
    }

    @Test func routingKeysFollowProducerEventVersion() {
        for event in EventCatalog.all {
            let parts = event.eventType.split(separator: ".").map(String.init)
            #expect(parts == [event.producer.rawValue, event.eventName, "v\(event.majorVersion)"])
            #expect(event.eventName.allSatisfy { $0.isLowercase || $0 == "-" }, "\(event.eventType) uses lower-case kebab names")
        }
        #expect(Set(EventCatalog.all.map(\.eventType)).count == EventCatalog.all.count, "event types are unique")
    }

    @Test func envelopeCarriesTracingFieldsAndDecodesWithoutKnowingThePayload() throws {
        let cause = UUID()
        let envelope = EventEnvelope(correlationId: "req-42", causationId: cause, payload: IdentityEvents.UserInvited.example)
        let bytes = try EventCoding.encode(envelope)
        let header = try EventCoding.decodeHeader(bytes)
        #expect(header.messageId == envelope.messageId)
        #expect(header.type == "identity.user-invited.v1")
        #expect(header.producer == .identity)
        #expect(header.correlationId == "req-42")
        #expect(header.causationId == cause)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(Set(json.keys) == ["messageId", "type", "occurredAt", "producer", "correlationId", "causationId", "payload"])
        #expect((json["occurredAt"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func malformedEnvelopeIsRefused() {
        #expect(throws: (any Error).self) { try EventCoding.decodeHeader(Array("{\"type\":1}".utf8)) }
        #expect(throws: (any Error).self) { try EventCoding.decode(IdentityEvents.UserInvited.self, from: Array("[]".utf8)) }
    }
}
