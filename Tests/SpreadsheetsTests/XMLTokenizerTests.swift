import Foundation
import Testing
@testable import Spreadsheets

@Suite("Streaming XML tokenizer")
struct XMLTokenizerTests {
    static let sheet = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE worksheet>
        <!-- a comment with <tags> and -- dashes -->
        <x:worksheet xmlns:x="urn:x"><x:sheetData>
        <x:row r='3' spans="1:3"><x:c r="A3" t="inlineStr"><x:is><x:t xml:space="preserve"> Zoë &amp; &lt;Łukasz&gt; &#x1F469;&#8203;</x:t></x:is></x:c>\
        <x:c r="C3" t="str"><x:v><![CDATA[a]]b > c]]></x:v></x:c><x:c r = "D3" attr="a > b"/></x:row>
        <x:row r="4"><x:c r="B4"><x:v>42</x:v></x:c></x:row>
        </x:sheetData></x:worksheet>
        """

    static func render(_ event: XMLEvent) -> String {
        switch event {
        case let .start(tag): "<\(tag.localName)" + tag.attributes.map { " \($0.localName)=\($0.value)" }.joined() + ">"
        case let .end(name): "</\(name)>"
        case let .text(text): "[\(text)]"
        }
    }

    /// Texts split across chunks arrive whole (text is reported when the next tag starts), so renderings compare directly.
    static func tokenize(_ bytes: [UInt8], chunkSizes: [Int]) throws -> [String] {
        var tokenizer = XMLTokenizer()
        var events: [String] = []
        var offset = 0
        for size in chunkSizes + [bytes.count] where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            try tokenizer.consume(Data(bytes[offset..<end])) { events.append(render($0)) }
            offset = end
        }
        try tokenizer.finish { events.append(render($0)) }
        return events
    }

    @Test func tokenizesPrefixedTagsEntitiesAndCDATA() throws {
        let events = try Self.tokenize(Array(Self.sheet.utf8), chunkSizes: [])
            .filter { !$0.hasPrefix("[\n") }
        #expect(events == [
            "<worksheet x=urn:x>", "<sheetData>", // namespace declarations are attributes too
            "<row r=3 spans=1:3>", "<c r=A3 t=inlineStr>", "<is>", "<t space=preserve>",
            "[ Zoë & <Łukasz> 👩\u{200B}]", "</t>", "</is>", "</c>",
            "<c r=C3 t=str>", "<v>", "[a]]b > c]", "</v>", "</c>", "<c r=D3 attr=a > b>", "</c>", "</row>",
            "<row r=4>", "<c r=B4>", "<v>", "[42]", "</v>", "</c>", "</row>",
            "</sheetData>", "</worksheet>",
        ])
    }

    @Test func chunkBoundariesDoNotChangeTheEvents() throws {
        let bytes = Array(Self.sheet.utf8)
        let whole = try Self.tokenize(bytes, chunkSizes: [])
        #expect(try Self.tokenize(bytes, chunkSizes: Array(repeating: 1, count: bytes.count)) == whole)
        for split in 1..<bytes.count {
            let events = try Self.tokenize(bytes, chunkSizes: [split])
            #expect(events == whole, "split at byte \(split)")
        }
    }

    @Test func rowsAssembleTheSameWhateverTheChunking() throws {
        func rows(chunkSizes: [Int]) throws -> [XLSXRow] {
            var tokenizer = XMLTokenizer()
            var assembler = SheetRowAssembler(sharedStrings: [])
            var rows: [XLSXRow] = []
            let bytes = Array(Self.sheet.utf8)
            var offset = 0
            for size in chunkSizes + [bytes.count] where offset < bytes.count {
                let end = min(bytes.count, offset + size)
                try tokenizer.consume(Data(bytes[offset..<end])) { try assembler.handle($0) { rows.append($0) } }
                offset = end
            }
            return rows
        }
        let expected = [
            XLSXRow(rowNumber: 3, cells: [.text(" Zoë & <Łukasz> 👩\u{200B}"), .empty, .text("a]]b > c")]),
            XLSXRow(rowNumber: 4, cells: [.empty, .number(42)]),
        ]
        #expect(try rows(chunkSizes: []) == expected)
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<50 {
            let sizes = (0..<400).map { _ in Int.random(in: 1...9, using: &generator) }
            #expect(try rows(chunkSizes: sizes) == expected)
        }
    }

    @Test func cellsPastTheLastColumnAreRefused() throws {
        var tokenizer = XMLTokenizer()
        var assembler = SheetRowAssembler(sharedStrings: [])
        let row = "<row r=\"7\">" + String(repeating: "<c><v>1</v></c>", count: CellReference.maximumColumnCount + 1) + "</row>"
        #expect(throws: XLSXReaderError.tooManyColumns(row: 7)) {
            try tokenizer.consume(Data(row.utf8)) { try assembler.handle($0) { _ in } }
        }
    }

    @Test func aDocumentEndingInsideATagIsMalformed() throws {
        var tokenizer = XMLTokenizer()
        try tokenizer.consume(Data("<row r=\"1\"".utf8)) { _ in }
        #expect(throws: XMLTokenizer.Failure.self) { try tokenizer.finish { _ in } }
    }

    @Test func oversizedTokensAreRefused() throws {
        var tokenizer = XMLTokenizer(maximumTokenBytes: 16)
        #expect(throws: XMLTokenizer.Failure.self) {
            try tokenizer.consume(Data(("<t>" + String(repeating: "x", count: 17) + "</t>").utf8)) { _ in }
        }
    }

    @Test func spreadsheetEscapesRoundTrip() {
        #expect(SpreadsheetMLEscapes.unescape("a_x000D_b_x005F_x0041_") == "a\rb_x0041_")
        #expect(SpreadsheetMLEscapes.unescape(SpreadsheetMLEscapes.escape("_x0041_ and _x")) == "_x0041_ and _x")
        #expect(CellReference.parse("XFD1048576")! == (16_383, 1_048_576))
        #expect(CellReference.parse("$b$7")! == (1, 7))
        #expect(CellReference.parse("7B") == nil)
        #expect(CellReference.columnName(26) == "AA")
        #expect(CellReference.columnName(16_383) == "XFD")
    }
}
