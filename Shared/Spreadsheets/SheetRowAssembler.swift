import Foundation

/// Turns the XML events of a worksheet into rows, one at a time, placing each cell at the column its reference names.
struct SheetRowAssembler {
    private let sharedStrings: [String]

    private var rowNumber = 0
    private var cells: [XLSXCell] = []
    private var nextColumn = 0

    private var cellReference = ""
    private var cellColumn = 0
    private var cellType = "n"
    private var cellValue = ""
    private var inlineText = ""
    private var capturing = Capture.nothing
    private var inPhoneticRun = false

    private enum Capture {
        case nothing
        case value
        case inlineText
    }

    init(sharedStrings: [String]) {
        self.sharedStrings = sharedStrings
    }

    /// - Parameter emit: called with each row as soon as its closing tag is read.
    mutating func handle(_ event: XMLEvent, emit: (XLSXRow) throws -> Void) throws {
        switch event {
        case let .start(tag):
            try start(tag)
        case let .end(localName):
            try end(localName, emit: emit)
        case let .text(text):
            switch capturing {
            case .nothing: break
            case .value: cellValue += text
            case .inlineText: inlineText += text
            }
        }
    }

    private mutating func start(_ tag: XMLTag) throws {
        switch tag.localName {
        case "row":
            // Rows without r="" follow the previous one, as Excel does.
            rowNumber = tag.attribute("r").flatMap { Int($0) } ?? rowNumber + 1
            cells.removeAll(keepingCapacity: true)
            nextColumn = 0
        case "c":
            if let reference = tag.attribute("r") {
                guard let parsed = CellReference.parse(reference) else {
                    throw XLSXReaderError.invalidCellReference(reference, row: rowNumber)
                }
                cellReference = reference
                cellColumn = parsed.column
            } else {
                cellColumn = nextColumn
                cellReference = CellReference.name(column: cellColumn, row: rowNumber)
            }
            guard cellColumn < CellReference.maximumColumnCount else { throw XLSXReaderError.tooManyColumns(row: rowNumber) }
            cellType = tag.attribute("t") ?? "n"
            cellValue = ""
            inlineText = ""
        case "v":
            capturing = .value
        case "rPh":
            inPhoneticRun = true
        case "t" where !inPhoneticRun:
            capturing = .inlineText
        default:
            break
        }
    }

    private mutating func end(_ localName: String, emit: (XLSXRow) throws -> Void) throws {
        switch localName {
        case "v", "t":
            capturing = .nothing
        case "rPh":
            inPhoneticRun = false
        case "c":
            place(try resolvedCell(), at: cellColumn)
            nextColumn = cellColumn + 1
        case "row":
            try emit(XLSXRow(rowNumber: rowNumber, cells: cells))
        default:
            break
        }
    }

    private mutating func place(_ cell: XLSXCell, at column: Int) {
        if column >= cells.count {
            if case .empty = cell { return }
            cells.append(contentsOf: repeatElement(.empty, count: column - cells.count + 1))
        }
        cells[column] = cell
    }

    /// The cell's value according to its type attribute; empty text counts as an empty cell.
    private func resolvedCell() throws -> XLSXCell {
        let cell: XLSXCell
        switch cellType {
        case "s":
            guard let index = Int(cellValue.trimmingCharacters(in: .whitespacesAndNewlines)) else { return .empty }
            guard sharedStrings.indices.contains(index) else {
                throw XLSXReaderError.sharedStringOutOfRange(cell: cellReference, index: index, count: sharedStrings.count)
            }
            cell = .text(sharedStrings[index])
        case "inlineStr":
            cell = .text(SpreadsheetMLEscapes.unescape(inlineText))
        case "str", "d":
            // A formula's text result, or an ISO 8601 date kept as text.
            cell = .text(SpreadsheetMLEscapes.unescape(cellValue))
        case "b":
            cell = cellValue.isEmpty ? .empty : .boolean(cellValue == "1" || cellValue == "true")
        case "e":
            cell = .error(cellValue)
        default:
            let trimmed = cellValue.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return .empty }
            cell = Double(trimmed).map(XLSXCell.number) ?? .text(trimmed)
        }
        if case let .text(text) = cell, text.isEmpty { return .empty }
        return cell
    }
}
