import Foundation
@preconcurrency import ZIPFoundation

/// Reads every sheet of an `.xlsx` workbook into tables of cell texts: shared, rich and inline strings,
/// numbers, booleans, errors, dates (1900 and 1904 systems) and the cached values of formulas.
/// ZIPFoundation's `Archive` is not `Sendable`, so it lives and dies inside `read`.
enum XlsxReader {
    static func read(url: URL) throws(KnowledgeImportError) -> [SheetTable] {
        let file = url.lastPathComponent
        do {
            let archive = try Archive(url: url, accessMode: .read)
            return try readSheets(from: archive)
        } catch let error as XlsxError {
            throw .unreadableWorkbook(file: file, reason: error.description)
        } catch {
            throw .unreadableWorkbook(file: file, reason: "not a zip archive: \(error)")
        }
    }

    static func readSheets(from archive: Archive) throws -> [SheetTable] {
        var workbook = WorkbookHandler()
        guard try scan("xl/workbook.xml", in: archive, label: "xl/workbook.xml", into: &workbook) else {
            throw XlsxError.missingPart("xl/workbook.xml")
        }
        var rels = RelationshipsHandler()
        _ = try scan("xl/_rels/workbook.xml.rels", in: archive, label: "xl/_rels/workbook.xml.rels", into: &rels)
        let relationships = rels.targets
        let sharedStringsTarget = relationships.values.first { $0.hasSuffix("sharedStrings.xml") }
        let sharedStrings = try sharedStrings(in: archive, target: sharedStringsTarget)
        var styles = StylesHandler()
        _ = try scan("xl/styles.xml", in: archive, label: "xl/styles.xml", into: &styles)
        let context = WorksheetHandler.Context(
            sharedStrings: sharedStrings, dateStyles: styles.dateStyleIndexes, uses1904: workbook.uses1904)
        var tables: [SheetTable] = []
        for (index, sheet) in workbook.sheets.enumerated() {
            let path = partPath(relationships[sheet.relationshipID] ?? "worksheets/sheet\(index + 1).xml")
            var handler = WorksheetHandler(context: context)
            guard try scan(path, in: archive, label: "sheet '\(sheet.name)' (\(path))", into: &handler) else {
                throw XlsxError.missingPart(path)
            }
            var table = handler.table
            table.name = sheet.name
            tables.append(table)
        }
        return tables
    }

    static func sharedStrings(in archive: Archive, target: String?) throws -> [String] {
        let path = target.map(partPath) ?? "xl/sharedStrings.xml"
        var handler = SharedStringsHandler()
        guard try scan(path, in: archive, label: path, into: &handler) else { return [] }
        return handler.strings
    }

    /// Relationship targets are relative to `xl/`, or absolute from the package root.
    static func partPath(_ target: String) -> String {
        target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    /// Bytes inflated per chunk while scanning a large part: memory for a part is this plus its longest token.
    static let scanChunkBytes = 64 * 1024

    /// Streams the part at `path` through `handler`; false when the archive has no such part.
    static func scan(
        _ path: String, in archive: Archive, label: String, into handler: inout some XMLScanHandler
    ) throws(XlsxError) -> Bool {
        guard let entry = archive[path] else { return false }
        var scanner = XMLByteScanner()
        do {
            _ = try archive.extract(entry, bufferSize: scanChunkBytes, skipCRC32: false) { chunk in
                try scanner.feed(chunk, to: &handler)
            }
            try scanner.finish(with: &handler)
        } catch let error as XMLScanError {
            throw .malformedXML(part: label, detail: error.description)
        } catch {
            throw .damagedPart(part: label, detail: "\(error)")
        }
        return true
    }
}

enum XlsxError: Error, CustomStringConvertible {
    case missingPart(String)
    case malformedXML(part: String, detail: String)
    case damagedPart(part: String, detail: String)

    var description: String {
        switch self {
        case .missingPart(let part): "the part \(part) is missing"
        case .malformedXML(let part, let detail): "\(part) is not well-formed XML, \(detail)"
        case .damagedPart(let part, let detail): "\(part) cannot be extracted from the archive: \(detail)"
        }
    }
}
