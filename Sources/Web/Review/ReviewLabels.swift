import ResyncCore

/// The review page's words in each language the UI speaks.
struct ReviewLabels: Sendable {
    var title, intro, pending, flagged, approved, rejected, deleted, filters, job, platform, kind, text: String
    var from, to, any, apply, clear, empty, question, answer, solution, author, created, source, feedback: String
    var helpful, wrong, auditor, noAuditor, auditLog, approve, reject, restore, delete, edit, save: String
    var reason, reasonHint, confirmTitle, confirmReject, confirmDelete, confirm, cancel, answeredQuestion: String
    var knownSolution, status, usedKnowledge, done: String

    static func of(_ language: Language) -> ReviewLabels { language == .english ? english : portuguese }

    static let english = ReviewLabels(
        title: "Memory review",
        intro: "What Resync learned from answers and operators. Approve what is right, fix or reject what is not.",
        pending: "Pending", flagged: "Flagged", approved: "Approved", rejected: "Rejected", deleted: "Deleted",
        filters: "Filters", job: "Job", platform: "Platform", kind: "Kind", text: "Text", from: "From", to: "To",
        any: "any", apply: "Filter", clear: "Clear", empty: "No memories here under these filters.",
        question: "Question", answer: "Answer", solution: "Solution", author: "by", created: "created",
        source: "source thread", feedback: "Feedback", helpful: "helpful", wrong: "wrong", auditor: "Auditor",
        noAuditor: "not scored yet", auditLog: "Audit log", approve: "Approve", reject: "Reject",
        restore: "Restore", delete: "Delete", edit: "Edit text", save: "Save text", reason: "Reason",
        reasonHint: "why (goes to the audit log)", confirmTitle: "Confirm",
        confirmReject: "Reject this memory? It will no longer be used in answers. You can restore it later.",
        confirmDelete: "Delete this memory? It will be hidden and unused. You can restore it later.",
        confirm: "Yes, do it", cancel: "Cancel", answeredQuestion: "answered question",
        knownSolution: "known solution", status: "Status", usedKnowledge: "used", done: "Done")

    static let portuguese = ReviewLabels(
        title: "Revisão de memórias",
        intro:
            "O que o Resync aprendeu com respostas e operadores. Aprove o que está certo, corrija ou rejeite o resto.",
        pending: "Pendentes", flagged: "Sinalizadas", approved: "Aprovadas", rejected: "Rejeitadas",
        deleted: "Excluídas", filters: "Filtros", job: "Job", platform: "Plataforma", kind: "Tipo", text: "Texto",
        from: "De", to: "Até", any: "qualquer", apply: "Filtrar", clear: "Limpar",
        empty: "Nenhuma memória aqui com estes filtros.", question: "Pergunta", answer: "Resposta",
        solution: "Solução", author: "por", created: "criada", source: "thread de origem", feedback: "Feedback",
        helpful: "útil", wrong: "errada", auditor: "Auditor", noAuditor: "ainda sem nota",
        auditLog: "Log de auditoria", approve: "Aprovar", reject: "Rejeitar", restore: "Restaurar",
        delete: "Excluir", edit: "Editar texto", save: "Salvar texto", reason: "Motivo",
        reasonHint: "por quê (vai para o log de auditoria)", confirmTitle: "Confirmar",
        confirmReject: "Rejeitar esta memória? Ela deixa de ser usada nas respostas. Dá para restaurar depois.",
        confirmDelete: "Excluir esta memória? Ela fica oculta e sem uso. Dá para restaurar depois.",
        confirm: "Sim, confirmar", cancel: "Cancelar", answeredQuestion: "pergunta respondida",
        knownSolution: "solução conhecida", status: "Status", usedKnowledge: "usou", done: "Feito")
}
