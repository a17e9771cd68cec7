import Contracts
import Foundation
import Testing

@Suite struct UUIDTextTests {
    @Test func writesWhatFoundationWritesAndReadsItBack() {
        for _ in 0..<10_000 {
            let id = UUID()
            #expect(id.text(lowercase: false) == id.uuidString)
            #expect(id.text(lowercase: true) == id.uuidString.lowercased())
            #expect(UUID(text: id.uuidString) == id)
            #expect(UUID(text: id.uuidString.lowercased()) == id)
        }
    }

    @Test(arguments: [
        "", "0", "5f0c7f55-8d0e-4d0a-9d43-1f0b7f0c2a1", "5f0c7f55-8d0e-4d0a-9d43-1f0b7f0c2a111",
        "5f0c7f558-d0e-4d0a-9d43-1f0b7f0c2a11", "5f0c7f55_8d0e-4d0a-9d43-1f0b7f0c2a11", "5f0c7f55-8d0e-4d0a-9d43-1f0b7f0c2a1g",
        "{5f0c7f55-8d0e-4d0a-9d43-1f0b7f0c2a1}", " 5f0c7f55-8d0e-4d0a-9d43-1f0b7f0c2a1", "5f0c7f55-8d0e-4d0a-9d43-1f0b7f0c2aé",
        "5f0c7f558d0e4d0a9d431f0b7f0c2a11", "5f0c7f55-8d0e-4d0a-9d43-1f0b7f0c-a11",
    ])
    func refusesAnythingButTheCanonicalForm(_ text: String) {
        // Stricter than Foundation, whose sscanf reads " 5f0c…2a1" and "…0c-a11" as UUIDs.
        #expect(UUID(text: text) == nil)
    }
}
