import Foundation
import ResyncCore

/// Status emoji per job state: failures red, running blue arrows, done green, waiting hourglass.
enum SlackStatusEmoji {
    static func emoji(for job: Job) -> String {
        if job.isFailed { return ":red_circle:" }
        return emoji(for: job.lastRun?.commonStatus ?? job.commonStatus)
    }

    static func emoji(for status: CommonStatus) -> String {
        switch status {
        case .successful: ":large_green_circle:"
        case .error: ":red_circle:"
        case .running: ":arrows_counterclockwise:"
        case .waiting: ":hourglass_flowing_sand:"
        case .ready: ":large_blue_circle:"
        case .held: ":double_vertical_bar:"
        case .blocked: ":no_entry:"
        case .canceled: ":no_entry_sign:"
        case .undecided: ":grey_question:"
        case .suppress: ":zzz:"
        default: ":white_circle:"
        }
    }
}

/// The words around the data, in the answer's language.
struct SlackLabels {
    let language: Language
    /// The zone of the answer's own texts; every time the blocks show is in it.
    var timeZone: TimeZone = .gmt

    var presentation: AnswerPresentation { AnswerPresentation(language: language, timeZone: timeZone) }

    func time(_ date: Date) -> String { ClockTime.dateTime(date, in: timeZone) }

    private func pick(_ portuguese: String, _ english: String) -> String {
        language == .portuguese ? portuguese : english
    }

    var returnCode: String { "RC" }
    var started: String { pick("Início", "Started") }
    var ended: String { pick("Fim", "Ended") }
    var workstation: String { pick("Estação", "Workstation") }
    var workstations: String { pick("Estações", "Workstations") }
    var engine: String { pick("Engine", "Engine") }
    var waitingOn: String { pick("Aguardando", "Waiting on") }
    var procedure: String { pick("Procedimento", "Procedure") }
    var knownSolution: String { pick("Solução conhecida", "Known solution") }
    var owner: String { pick("Responsável", "Owner") }
    var nextStep: String { pick("Próximo passo", "Next step") }
    var log: String { pick("Log", "Log") }
    var logContinued: String { pick("Log (continuação)", "Log (continued)") }
    var live: String { pick("ao vivo do HWA em", "live from HWA at") }
    var unavailable: String { pick("HWA indisponível", "HWA unavailable") }
    var lastGood: String { pick("último dado bom", "last good data") }
    var sources: String { pick("Fontes", "Sources") }
    var helpful: String { pick("Útil", "Helpful") }
    var wrong: String { pick("Errado", "Wrong") }
    var showLog: String { pick("Ver log", "Show log") }
    var explain: String { pick("Explicar", "Explain") }

    func more(_ count: Int) -> String { pick("… e mais \(count)", "… and \(count) more") }
    func continued(_ page: Int, of total: Int) -> String {
        pick("(continuação \(page)/\(total))", "(continued \(page)/\(total))")
    }

    func notice(_ notice: AnswerNotice) -> String? {
        switch notice {
        case .schedulerUnavailable(let reason, _):
            ":warning: " + pick("HWA indisponível: ", "HWA unavailable: ") + slackEscaped(reason)
        case .noKnowledge: pick("Nada na base de conhecimento para isto.", "Nothing in the knowledge base for this.")
        case .knowledgeUnavailable(let reason):
            ":warning: " + pick("Base de conhecimento indisponível: ", "Knowledge base unavailable: ")
                + slackEscaped(reason)
        case .ambiguousJob(let name, let candidates):
            pick("Vários jobs para ", "Several jobs match ") + "*\(slackEscaped(name))*: "
                + candidates.prefix(10).map(slackEscaped).joined(separator: ", ")
        case .unknownJob(let name, let suggestions):
            pick("Job não encontrado: ", "No job named ") + "*\(slackEscaped(name))*"
                + (suggestions.isEmpty
                    ? ""
                    : pick(". Talvez: ", ". Did you mean: ")
                        + suggestions.prefix(5).map(slackEscaped).joined(separator: ", "))
        case .declinedWrite:
            ":lock: " + pick("O Resync é somente leitura.", "Resync is read-only.")
        case .notUnderstood: pick("Não entendi a pergunta.", "I did not understand the question.")
        case .accessDenied:
            ":lock: "
                + pick(
                    "Parte da informação não está disponível neste canal.",
                    "Some information is not available in this channel.")
        case .llmFallback:
            pick("Resposta determinística (LLM indisponível).", "Deterministic answer (LLM unavailable).")
        }
    }
}
