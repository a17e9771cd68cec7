/// The fixed parts of a one-sheet workbook written by `XLSXWriter`: just what Excel, LibreOffice and Numbers require.
enum XLSXPackageParts {
    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let spreadsheetNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Style indexes into `cellXfs` below.
    static let boldStyle = 1
    static let dateStyle = 2

    static let contentTypes = declaration + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        </Types>
        """

    static let packageRelationships = declaration + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    static let workbookRelationships = declaration + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """

    static func workbook(sheetName: String) -> String {
        declaration + """
            <workbook xmlns="\(spreadsheetNamespace)" xmlns:r="\(relationshipNamespace)">\
            <sheets><sheet name="\(XMLEntities.escape(sheetName))" sheetId="1" r:id="rId1"/></sheets>\
            </workbook>
            """
    }

    /// Style 0 plain, 1 bold (headers), 2 `yyyy-mm-dd` dates. Excel insists on the two default fills.
    static let styles = declaration + """
        <styleSheet xmlns="\(spreadsheetNamespace)">\
        <numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>\
        <fonts count="2">\
        <font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        </fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="3">\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    /// Everything in the worksheet before the rows: a frozen heading row and column widths, when wanted.
    static func worksheetOpening(freezesFirstRow: Bool, columnWidths: [Int]) -> String {
        var xml = declaration + #"<worksheet xmlns="\#(spreadsheetNamespace)" xmlns:r="\#(relationshipNamespace)">"#
        if freezesFirstRow {
            xml += #"<sheetViews><sheetView workbookViewId="0">"#
                + #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
                + #"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>"#
                + "</sheetView></sheetViews>"
        }
        if !columnWidths.isEmpty {
            xml += "<cols>"
            for (index, width) in columnWidths.enumerated() {
                xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width)" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        return xml + "<sheetData>"
    }

    static let worksheetClosing = "</sheetData></worksheet>"
}
