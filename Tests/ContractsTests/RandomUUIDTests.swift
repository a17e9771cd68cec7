import Contracts
import Foundation
import Testing

@Suite struct RandomUUIDTests {
    @Test func isAVersion4UUIDWithTheRFCVariant() {
        for _ in 0..<1000 {
            let text = UUID.random().uuidString
            let characters = Array(text)
            #expect(characters[14] == "4", "version nibble of \(text)")
            #expect("89AB".contains(characters[19]), "variant nibble of \(text)")
            #expect(UUID(uuidString: text) != nil)
        }
    }

    @Test func neverRepeatsAndUsesEveryBitOutsideVersionAndVariant() {
        let ids = (0..<10_000).map { _ in UUID.random() }
        #expect(Set(ids).count == ids.count)
        // Each of the 122 random bits is set in some id and clear in another.
        var seenSet = [Bool](repeating: false, count: 128), seenClear = [Bool](repeating: false, count: 128)
        for id in ids {
            withUnsafeBytes(of: id.uuid) { bytes in
                for bit in 0..<128 {
                    if bytes[bit / 8] & (0x80 >> UInt8(bit % 8)) != 0 { seenSet[bit] = true } else { seenClear[bit] = true }
                }
            }
        }
        let fixed: Set<Int> = [48, 49, 50, 51, 64, 65]  // version (0100) and variant (10)
        for bit in 0..<128 where !fixed.contains(bit) {
            #expect(seenSet[bit] && seenClear[bit], "bit \(bit) never varies")
        }
    }

    @Test func envelopesGetOne() {
        let first = EventEnvelope(payload: IdentityEvents.UserInvited.example), second = EventEnvelope(payload: IdentityEvents.UserInvited.example)
        #expect(first.messageId != second.messageId)
        #expect(first.messageId.uuidString.dropFirst(14).first == "4")
    }
}
