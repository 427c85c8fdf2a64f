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
        guard let workbookXML = try part("xl/workbook.xml", in: archive) else {
            throw XlsxError.missingPart("xl/workbook.xml")
        }
        let workbook = try WorkbookParser.parse(workbookXML)
        let relationships = try part("xl/_rels/workbook.xml.rels", in: archive).map(RelationshipsParser.parse) ?? [:]
        let sharedStrings = try part("xl/sharedStrings.xml", in: archive).map(SharedStringsParser.parse) ?? []
        let dateStyles = try part("xl/styles.xml", in: archive).map(StylesParser.dateStyleIndexes) ?? []
        var tables: [SheetTable] = []
        for (index, sheet) in workbook.sheets.enumerated() {
            let target = relationships[sheet.relationshipID] ?? "worksheets/sheet\(index + 1).xml"
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            guard let data = try part(path, in: archive) else { throw XlsxError.missingPart(path) }
            let context = SheetParser.Context(
                sharedStrings: sharedStrings, dateStyles: dateStyles, uses1904: workbook.uses1904)
            var table = try SheetParser.parse(data, context: context)
            table.name = sheet.name
            tables.append(table)
        }
        return tables
    }

    static func part(_ path: String, in archive: Archive) throws -> Data? {
        guard let entry = archive[path] else { return nil }
        var data = Data()
        data.reserveCapacity(Int(entry.uncompressedSize))
        _ = try archive.extract(entry, skipCRC32: false) { chunk in data.append(chunk) }
        return data
    }
}

enum XlsxError: Error, CustomStringConvertible {
    case missingPart(String)
    case malformedXML(part: String, detail: String)

    var description: String {
        switch self {
        case .missingPart(let part): "the part \(part) is missing"
        case .malformedXML(let part, let detail): "\(part) is not well-formed XML: \(detail)"
        }
    }
}
