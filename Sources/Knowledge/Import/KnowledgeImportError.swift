/// Why an import did not replace the knowledge base. The previous knowledge base stays in service.
public enum KnowledgeImportError: Error, Hashable, Sendable, CustomStringConvertible {
    case pathNotFound(String)
    case unsupportedFile(String)
    case unreadableWorkbook(file: String, reason: String)
    case unreadableText(file: String, reason: String)
    case filesRejected([RejectedFile])
    case noEntries(String)

    public var description: String {
        switch self {
        case .pathNotFound(let path):
            "knowledge base path '\(path)' does not exist; set KNOWLEDGE_BASE_PATH to a .xlsx, .csv or folder"
        case .unsupportedFile(let path):
            "'\(path)' is not a .xlsx, .csv or .md file; save the spreadsheet as .xlsx or .csv"
        case .unreadableWorkbook(let file, let reason):
            "'\(file)' is not a readable .xlsx workbook (\(reason)); open it in Excel and save it again as .xlsx"
        case .unreadableText(let file, let reason):
            "'\(file)' could not be read (\(reason))"
        case .filesRejected(let files):
            "the knowledge base was not replaced because some files could not be read: "
                + files.map(\.description).joined(separator: "; ")
        case .noEntries(let path):
            "'\(path)' produced no entries; the previous knowledge base is kept (check the header row)"
        }
    }
}
