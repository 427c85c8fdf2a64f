import Foundation
import ResyncCore

/// The words and facts an answer shows, shared by the Teams card and the Mattermost Markdown renderers so
/// both say the same thing in the answer's language. Platform syntax stays in each renderer.
public struct AnswerPresentation: Sendable {
    public let language: Language
    /// Where times are shown: the zone of the answer's own texts, so a field never contradicts the headline.
    public let timeZone: TimeZone

    public init(language: Language, timeZone: TimeZone = .gmt) {
        self.language = language
        self.timeZone = timeZone
    }

    /// The words for `answer`, in its language and time zone.
    public init(for answer: Answer) {
        self.init(language: answer.language, timeZone: answer.displayTimeZone)
    }

    private var pt: Bool { language == .portuguese }

    public var statusLabel: String { pt ? "Status" : "Status" }
    public var jobLabel: String { pt ? "Job" : "Job" }
    public var returnCodeLabel: String { pt ? "Código de retorno" : "Return code" }
    public var startedLabel: String { pt ? "Início" : "Started" }
    public var endedLabel: String { pt ? "Fim" : "Ended" }
    public var workstationLabel: String { pt ? "Estação" : "Workstation" }
    public var jobStreamLabel: String { pt ? "Job stream" : "Job stream" }
    public var diagnosisTitle: String { pt ? "Diagnóstico" : "Diagnosis" }
    public var knownSolutionsTitle: String { pt ? "Soluções conhecidas" : "Known solutions" }
    public var ownerTitle: String { pt ? "Responsável" : "Owner" }
    public var contactsLabel: String { pt ? "Contatos" : "Contacts" }
    public var linksTitle: String { pt ? "Links" : "Links" }
    public var nextStepLabel: String { pt ? "Próximo passo" : "Next step" }
    public var healthTitle: String { pt ? "Saúde do ambiente" : "Environment health" }
    public var workstationsLabel: String { pt ? "Estações" : "Workstations" }
    public var needingAttentionLabel: String { pt ? "Precisam de atenção" : "Need attention" }
    public var recentFailuresLabel: String { pt ? "Falhas recentes" : "Recent failures" }
    public var logTailTitle: String { pt ? "Fim do log" : "Log tail" }
    public var failureLabel: String { pt ? "Falha" : "Failure" }

    /// What Teams shows while the answer is still being prepared.
    public var workingOnIt: String {
        pt
            ? "Estou trabalhando nisso; a resposta completa chega neste canal em instantes."
            : "Working on it; the full answer will be posted to this channel shortly."
    }

    /// The reply to `learn …` when the solution could not be stored.
    public var learnFailed: String {
        pt
            ? "Não consegui guardar a solução agora; tente de novo em instantes."
            : "I could not store the solution just now; please try again in a moment."
    }

    /// A short reply when too many questions are already in progress.
    public var busy: String {
        pt
            ? "Estou ocupado com outras perguntas; tente de novo em um minuto."
            : "I am busy with other questions; please ask again in a minute."
    }

    /// `(label, value)` pairs describing a job's current state, taken from scheduler facts only.
    public func facts(for job: Job) -> [(String, String)] {
        var status = job.commonStatus.rawValue
        if let detail = job.lastRun?.internalStatus ?? job.internalStatus, detail.rawValue != status {
            status += " (\(detail.rawValue))"
        }
        var facts: [(String, String)] = [(jobLabel, job.qualifiedName), (statusLabel, status)]
        if let code = job.lastRun?.returnCode { facts.append((returnCodeLabel, String(code))) }
        if let start = job.lastRun?.startTime { facts.append((startedLabel, time(start))) }
        if let end = job.lastRun?.endTime { facts.append((endedLabel, time(end))) }
        if let note = recoveryNote(for: job) { facts.append((failureLabel, note)) }
        return facts
    }

    /// For a job a rerun recovered, its last failure and the rerun (its current state alone would hide the
    /// failure): "ABEND RC 12 — 2026-11-26 15:38:00 GMT-3; recuperado pelo rerun em 2026-11-26 15:39:01 GMT-3".
    public func recoveryNote(for job: Job) -> String? {
        guard let recovery = job.recoveryRun, let failed = job.lastFailedRun else { return nil }
        var failure = failed.internalStatus?.rawValue ?? failed.commonStatus.rawValue
        if let code = failed.returnCode { failure += " RC \(code)" }
        if let at = failed.lastActivity { failure += " — \(time(at))" }
        let by = recovery.lastActivity.map { (pt ? " em " : " at ") + time($0) } ?? ""
        return failure + (pt ? "; recuperado pelo rerun\(by)" : "; recovered by the rerun\(by)")
    }

    /// One line saying where the live status came from.
    public func freshnessLine(_ freshness: Freshness) -> String {
        switch freshness {
        case .live(let at):
            return pt ? "Status ao vivo do HWA às \(time(at))" : "Live status from HWA at \(time(at))"
        case .unavailable(let reason, let lastGood):
            let since = lastGood.map {
                pt ? "; último dado bom de \(time($0))" : "; last good data from \(time($0))"
            }
            return (pt ? "HWA indisponível: \(reason)" : "HWA unavailable: \(reason)") + (since ?? "")
        }
    }

    /// A sentence per notice, in the answer's language.
    public func line(for notice: AnswerNotice) -> String {
        switch notice {
        case .schedulerUnavailable(let reason, _):
            return pt
                ? "⚠️ HWA indisponível (\(reason)); o status pode estar desatualizado."
                : "⚠️ HWA unavailable (\(reason)); status may be stale."
        case .noKnowledge:
            return pt ? "A base de conhecimento não tem nada sobre isso." : "The knowledge base has nothing on this."
        case .knowledgeUnavailable(let reason):
            return pt ? "⚠️ Base de conhecimento indisponível (\(reason))." : "⚠️ Knowledge base unavailable (\(reason))."
        case .ambiguousJob(let name, let candidates):
            let list = candidates.joined(separator: ", ")
            return pt ? "Vários jobs chamados \(name): \(list)." : "Several jobs match \(name): \(list)."
        case .unknownJob(let name, let suggestions):
            let hint =
                suggestions.isEmpty
                ? "" : (pt ? " Você quis dizer: " : " Did you mean: ") + suggestions.joined(separator: ", ") + "?"
            return (pt ? "Nenhum job chamado \(name)." : "No job named \(name).") + hint
        case .declinedWrite:
            return pt
                ? "O Resync é somente leitura; faça a mudança no HWA." : "Resync is read-only; make the change in HWA."
        case .notUnderstood:
            return pt ? "Não entendi a pergunta." : "I did not understand the question."
        case .accessDenied:
            return pt ? "Este canal não tem acesso a esse objeto." : "This channel has no access to that object."
        case .llmFallback:
            return pt
                ? "Resposta sem o modelo de linguagem (indisponível)."
                : "Answered without the language model (unavailable)."
        }
    }

    /// A solution or procedure as one line: title and the text that tells what to do.
    public func line(for match: KnowledgeMatch) -> String {
        let detail = match.entry.procedure ?? match.entry.description
        return detail.map { "\(match.entry.title): \($0)" } ?? match.entry.title
    }

    /// The whole answer as plain text, for clients that cannot show cards and for notifications.
    public func plainText(_ answer: Answer) -> String {
        var lines = [answer.headline]
        for snapshot in answer.liveStatus?.jobs ?? [] {
            lines.append(facts(for: snapshot.job).map { "\($0.0): \($0.1)" }.joined(separator: " · "))
        }
        if let body = answer.body, !body.isEmpty { lines.append(body) }
        lines += answer.diagnosis.procedures.map { "- " + line(for: $0) }
        lines += answer.diagnosis.knownSolutions.map { "- \($0.text)" }
        if let owner = answer.owner {
            lines.append("\(ownerTitle): \(([owner.owner] + owner.contacts).joined(separator: ", "))")
        }
        if let next = answer.nextStep { lines.append("\(nextStepLabel): \(next)") }
        lines += answer.notices.map(line(for:))
        lines += answer.links.map { "\($0.title): \($0.url)" }
        return lines.joined(separator: "\n")
    }

    /// `2026-11-26 03:17:56 GMT-3`: a full date and time in the presentation's zone, labelled.
    public func time(_ date: Date) -> String {
        ClockTime.dateTime(date, in: timeZone)
    }
}
