import Foundation
import ResyncCore

/// The known columns of a knowledge spreadsheet.
enum KnowledgeField: String, Hashable, Sendable, CaseIterable {
    case key, jobName, jobPattern, jobStream, workstation, errorCode, title, description, procedure
    case owner, contact, links, severity
}

/// Maps header texts to fields by synonyms in Portuguese and English, ignoring case, accents and
/// punctuation (`Código de erro`, `codigo_de_erro` and `CODIGO DE ERRO` are the same header).
enum ColumnMapping {
    static func field(forHeader header: String) -> KnowledgeField? {
        let folded = TextFolding.fold(header)
        guard !folded.isEmpty else { return nil }
        return synonyms[folded]
    }

    /// Folded header text → field. Documented in docs/KNOWLEDGE.md; keep the two in step.
    static let synonyms: [String: KnowledgeField] = {
        let table: [KnowledgeField: [String]] = [
            .key: ["id", "chave", "key", "entry id", "id da entrada"],
            .jobName: ["job", "jobs", "job name", "jobname", "nome do job", "nome job", "nome dos jobs", "job id"],
            .jobPattern: ["padrao", "pattern", "job pattern", "padrao de job", "padrao do job", "mascara", "mask"],
            .jobStream: ["job stream", "jobstream", "fluxo", "stream", "fluxo de jobs", "cadeia", "schedule"],
            .workstation: [
                "workstation", "estacao", "estacao de trabalho", "agente", "agent", "servidor", "server", "host",
            ],
            .errorCode: [
                "erro", "erros", "codigo de erro", "codigos de erro", "error", "errors", "error code", "error codes",
                "return code", "rc", "abend", "abend code", "codigo de retorno", "codigo", "code",
            ],
            .title: ["titulo", "title", "assunto", "subject", "problema", "problem", "sintoma", "symptom"],
            .description: ["descricao", "description", "detalhes", "details", "resumo", "summary", "causa", "cause"],
            .procedure: [
                "procedimento", "procedimentos", "solucao", "acao", "acoes", "resolucao", "resolution", "steps",
                "passos", "solution", "procedure", "action", "actions", "como resolver", "workaround",
                "instrucoes", "instructions",
            ],
            .owner: ["responsavel", "dono", "owner", "equipe", "team", "time", "area", "grupo", "group"],
            .contact: [
                "contato", "contatos", "telefone", "email", "e mail", "on call", "oncall", "plantao", "contact",
                "phone", "escalonamento", "escalation",
            ],
            .links: ["documentacao", "link", "links", "runbook", "url", "documentation", "docs", "wiki", "referencia"],
            .severity: [
                "criticidade", "severidade", "severity", "criticality", "prioridade", "priority", "impacto", "impact",
            ],
        ]
        var map: [String: KnowledgeField] = [:]
        for (field, names) in table {
            for name in names { map[TextFolding.fold(name)] = field }
        }
        return map
    }()
}

/// The header row of a sheet, resolved: which column feeds which field, and which are extra fields.
struct HeaderLayout: Sendable {
    var rowIndex: Int
    var fields: [Int: KnowledgeField]
    var extras: [Int: String]

    var mappedCount: Int { fields.count }

    /// Finds the header among the first rows: the first with at least two known columns (a title row
    /// above it, merged across the sheet, is skipped). Blank header cells inside a merged range take the
    /// name of the range's first cell.
    static func detect(in table: SheetTable, minimumKnown: Int, searchRows: Int = 10) -> HeaderLayout? {
        var inspected = 0
        for (index, row) in table.rows.enumerated() where !row.isBlank {
            inspected += 1
            if inspected > searchRows { break }
            let layout = resolve(row: row, rowIndex: index, merges: table.merges)
            if layout.mappedCount >= minimumKnown { return layout }
        }
        return nil
    }

    static func resolve(row: SheetRow, rowIndex: Int, merges: [CellRange]) -> HeaderLayout {
        var fields: [Int: KnowledgeField] = [:]
        var extras: [Int: String] = [:]
        let zeroBasedRow = row.number - 1
        for column in row.cells.indices {
            var header = row.cells[column].trimmingCharacters(in: .whitespacesAndNewlines)
            if header.isEmpty,
                let merge = merges.first(where: { $0.contains(row: zeroBasedRow, column: column) }),
                merge.firstColumn != column
            {
                header = row.cell(merge.firstColumn).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard !header.isEmpty else { continue }
            if let field = ColumnMapping.field(forHeader: header) {
                fields[column] = field
            } else {
                extras[column] = header
            }
        }
        return HeaderLayout(rowIndex: rowIndex, fields: fields, extras: extras)
    }
}
