import Foundation
import ResyncCore

/// Every sentence the agent writes, in Portuguese and English.
struct Phrases: Sendable {
    let language: Language
    let timeZone: TimeZone
    /// The window "what failed" and the health summary use when the question names none.
    var defaultWindow: Duration = .seconds(24 * 3_600)

    private var pt: Bool { language == .portuguese }

    func pick(_ portuguese: String, _ english: String) -> String { pt ? portuguese : english }

    /// `HH:MM` in the configured zone, for lines under a heading or a stamp that names the zone.
    func clock(_ date: Date) -> String {
        ClockTime.text(date, in: timeZone, labelled: false)
    }

    /// `HH:MM GMT-3`: a time read on its own (a headline) says its zone, since HWA's, the server's and the
    /// reader's may all differ.
    func zonedClock(_ date: Date) -> String {
        ClockTime.text(date, in: timeZone, labelled: true)
    }

    /// `2026-11-26 14:05 (America/Sao_Paulo)`.
    func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let day = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        return "\(day) \(clock(date)) (\(timeZone.identifier))"
    }

    func windowLabel(_ window: TimeWindow?) -> String {
        guard let label = window?.label else {
            return pick("nas últimas \(defaultWindowLabel)", "in the last \(defaultWindowLabel)")
        }
        switch label {
        case "today": return pick("hoje", "today")
        case "yesterday": return pick("ontem", "yesterday")
        case "since yesterday": return pick("desde ontem", "since yesterday")
        default:
            if label.hasPrefix("since ") { return pick("desde as ", "since ") + label.dropFirst(6) }
            return pick("nas últimas \(label)", "in the last \(label)")
        }
    }

    func jobState(_ job: Job) -> String {
        let run = job.lastRun
        var parts = [(run?.commonStatus ?? job.commonStatus).rawValue]
        if let internalStatus = run?.internalStatus ?? job.internalStatus { parts.append("(\(internalStatus))") }
        if let code = run?.returnCode { parts.append("RC \(code)") }
        return parts.joined(separator: " ")
    }

    func jobHeadline(_ job: Job) -> String {
        let name = job.qualifiedName
        let run = job.lastRun
        if job.isFailed {
            let code = run?.returnCode.map { " RC \($0)" } ?? ""
            let at = (run?.endTime ?? run?.startTime).map { pick(" às ", " at ") + zonedClock($0) } ?? ""
            return pick("\(name) falhou\(code)\(at)", "\(name) failed\(code)\(at)")
        }
        return pick("\(name) está \(jobState(job))", "\(name) is \(jobState(job))")
    }

    func severalJobs(_ count: Int, name: String) -> String {
        pick("\(count) jobs correspondem a \(name)", "\(count) jobs match \(name)")
    }

    func unknownJob(_ name: String, suggestions: [String]) -> String {
        let base = pick("Não encontrei o job \(name) no plano atual", "No job named \(name) in the current plan")
        guard !suggestions.isEmpty else { return base }
        return base + pick(". Você quis dizer: ", ". Did you mean: ") + suggestions.joined(separator: ", ") + "?"
    }

    func unknownStream(_ name: String) -> String {
        pick("Não encontrei o job stream \(name) no plano atual", "No job stream named \(name) in the current plan")
    }

    /// `count` jobs failed in the window, `recovered` of them since rerun successfully: a recovered failure is still
    /// a failure of the plan, so the headline never says nothing failed when something did.
    func failures(_ count: Int, recovered: Int = 0, window: TimeWindow?) -> String {
        let when = windowLabel(window)
        let failed: String
        switch count {
        case 0: return pick("Nenhum job falhou \(when)", "No job failed \(when)")
        case 1: failed = pick("1 job falhou \(when)", "1 job failed \(when)")
        default: failed = pick("\(count) jobs falharam \(when)", "\(count) jobs failed \(when)")
        }
        guard recovered > 0 else { return failed }
        switch (count, recovered) {
        case (1, _): return failed + pick(" e foi recuperado pelo rerun", " and recovered")
        case (2, 2): return failed + pick("; ambos recuperados", "; both recovered")
        case let (all, done) where all == done:
            return failed + pick("; todos os \(all) recuperados", "; all \(all) recovered")
        default:
            return failed + pick("; \(recovered) recuperado\(recovered == 1 ? "" : "s")", "; \(recovered) recovered")
        }
    }

    func healthHeadline(_ health: HealthSummary) -> String {
        let attention = health.workstationsNeedingAttention.count
        let failed = health.recentFailures.count
        let engine = health.engine.map { "HWA \($0.version)" } ?? "HWA"
        if attention == 0 && failed == 0 {
            return pick("\(engine): ambiente saudável", "\(engine): environment healthy")
        }
        let recovered = health.recentFailures.filter(\.isRecovered).count
        let ofWhich = recovered == 0 ? "" : pick(" (\(recovered) recuperada(s))", " (\(recovered) recovered)")
        return pick(
            "\(engine): \(attention) workstation(s) com problema, \(failed) falha(s) \(windowLabel(nil))\(ofWhich)",
            "\(engine): \(attention) workstation(s) need attention, \(failed) failure(s) \(windowLabel(nil))\(ofWhich)")
    }

    var defaultWindowLabel: String { TimeWindow.label(for: defaultWindow) }

    /// A failure behind a job that is no longer failed: "falhou RC 12 às 15:38, recuperado pelo rerun às 15:39", or,
    /// while the rerun has not succeeded, "rerun após falha RC 12 às 15:38". Nil when the job is failed now or never
    /// failed (its state says it all).
    func failureHistory(_ job: Job) -> String? {
        guard !job.isFailed, let failed = job.lastFailedRun else { return nil }
        let code = failed.returnCode.map { " RC \($0)" } ?? ""
        let at = failed.lastActivity.map { pick(" às ", " at ") + clock($0) } ?? ""
        guard let recovery = job.recoveryRun else {
            return pick("rerun após falha\(code)\(at)", "rerun after a failure\(code)\(at)")
        }
        let by = recovery.lastActivity.map { pick(" às ", " at ") + clock($0) } ?? ""
        return pick(
            "falhou\(code)\(at), recuperado pelo rerun\(by)", "failed\(code)\(at), recovered by the rerun\(by)")
    }

    func waitingHeadline(_ job: Job, open: [JobDependency]) -> String {
        let name = job.qualifiedName
        if open.isEmpty {
            return pick(
                "\(name) está \(jobState(job)) e não tem dependências pendentes",
                "\(name) is \(jobState(job)) and has no unsatisfied dependency")
        }
        let targets = open.map(\.target).joined(separator: ", ")
        return pick("\(name) aguarda: \(targets)", "\(name) is waiting for: \(targets)")
    }

    func streamHeadline(_ stream: JobStream) -> String {
        let name = "\(stream.workstation.trimmingLeadingSlash)#\(stream.name)"
        let state = [stream.commonStatus.rawValue, stream.internalStatus.map { "(\($0))" }].compactMap { $0 }
        return pick("\(name) está ", "\(name) is ") + state.joined(separator: " ")
    }

    func logHeadline(_ job: Job, lines: Int) -> String {
        pick(
            "Últimas \(lines) linhas do log de \(job.qualifiedName)", "Last \(lines) log lines of \(job.qualifiedName)")
    }

    func noRun(_ job: Job) -> String {
        pick("\(job.qualifiedName) ainda não rodou: não há log", "\(job.qualifiedName) has not run yet: no log")
    }

    func knowledgeHeadline(_ subject: String?, found: Int) -> String {
        let about = subject.map { pick(" sobre \($0)", " about \($0)") } ?? ""
        if found == 0 {
            return pick("A base de conhecimento não tem nada\(about)", "The knowledge base has nothing\(about)")
        }
        return pick("O que a equipe sabe\(about)", "What the team knows\(about)")
    }

    var schedulerDown: String { pick("HWA indisponível", "HWA unreachable") }

    func staleSince(_ date: Date?) -> String {
        guard let date else { return pick("sem leitura anterior", "no earlier reading") }
        return pick("status de \(zonedClock(date))", "status from \(zonedClock(date))")
    }

    var declined: String {
        pick(
            "Não posso fazer isso: o Resync é somente leitura no HWA e não tem nenhuma ferramenta que altere o plano (rerun, cancelar, hold, release, submit). Faça a ação no Dynamic Workload Console ou com conman, conforme o procedimento da equipe.",
            "I can't do that: Resync is read-only towards HWA and has no tool that changes the plan (rerun, cancel, hold, release, submit). Do it in the Dynamic Workload Console or with conman, following your team's procedure."
        )
    }

    var declinedHeadline: String {
        pick("Pedido recusado: o Resync é somente leitura", "Declined: Resync is read-only")
    }

    var learnOutsideThreadHeadline: String {
        pick("Use aprender no tópico de uma resposta ou alerta", "Use learn in an answer or alert thread")
    }

    var learnOutsideThread: String {
        pick(
            "`aprender <solução>` guarda uma solução conhecida para o job do tópico em que é escrito. Responda no tópico de uma resposta do Resync ou de um alerta de falha (Slack: `@resync aprender …` no tópico; Mattermost: `/resync aprender …` no tópico). Também é possível marcar com ✅ a resposta de um operador nesse tópico. Nada foi guardado.",
            "`learn <solution>` keeps a known solution for the job of the thread it is typed in. Reply in the thread of a Resync answer or of a failure alert (Slack: `@resync learn …` in the thread; Mattermost: `/resync learn …` in the thread). You can also add ✅ to an operator's reply in such a thread. Nothing was stored."
        )
    }

    var helpHeadline: String { pick("Posso ajudar com o HWA assim:", "Here is what I can do with HWA:") }
    var notUnderstoodHeadline: String {
        pick(
            "Não entendi a pergunta. Exemplos do que sei responder:",
            "I didn't understand. Examples of what I can answer:")
    }

    var helpBody: String {
        pick(
            """
            • status JOB — "Qual o status do job `PAYROLL_FINAL`?"
            • falhas [JANELA] — "mostre os jobs que falharam nas últimas 3 horas", "falhas hoje", "falhas desde as 14h"
            • saude — "resuma a saúde do ambiente", "o master está no ar?"
            • stream NOME — "status do stream FINANCE_DAILY"
            • log JOB [N] — "últimas 50 linhas do log do PAYROLL_FINAL"
            • por que JOB — "por que o GL_POSTING está esperando?"
            • kb TEXTO — "como resolvo o abend do JOB_B?", "quem é o responsável pelo PAYROLL_FINAL?"
            • aprender SOLUÇÃO — no tópico de uma resposta ou alerta: "aprender reexecutar após liberar o dataset"
            • ajuda — esta mensagem
            O Resync só lê o HWA: não faz rerun, cancel, hold nem submit.
            """,
            """
            • status JOB — "what's the status of `PAYROLL_FINAL`?"
            • failed [WINDOW] — "what failed since 2h?", "failed today", "failed jobs since 2pm"
            • health — "summarize the environment health", "is the master up?"
            • stream NAME — "status of stream FINANCE_DAILY"
            • log JOB [N] — "last 50 lines of the log of PAYROLL_FINAL"
            • why JOB — "why is GL_POSTING waiting?"
            • kb TEXT — "how do I fix RC=12 on JOB_B?", "who owns PAYROLL_FINAL?"
            • learn SOLUTION — in an answer's or alert's thread: "learn rerun after freeing the dataset"
            • help — this message
            Resync only reads HWA: it never reruns, cancels, holds or submits.
            """)
    }

    /// The procedure about the job and the error it failed with; never one written for another error.
    func nextStepForFailure(_ job: Job, knowledge: TeamKnowledge) -> String {
        if let procedure = knowledge.guidance {
            return pick("Siga o procedimento \"\(procedure.title)\"", "Follow the procedure \"\(procedure.title)\"")
                + (procedure.owner.map {
                    pick("; se não resolver, acione \($0)", "; if that does not fix it, contact \($0)")
                } ?? "")
        }
        if let solution = knowledge.knownSolution {
            return pick("Tente a solução conhecida: \(solution.text)", "Try the known solution: \(solution.text)")
        }
        return pick(
            "Analise o log e acione o responsável; registre o procedimento na base de conhecimento",
            "Check the log and contact the owner; add a procedure to the knowledge base")
    }

    func nextStepForWaiting(_ open: [JobDependency]) -> String {
        guard let first = open.first else {
            return pick(
                "Verifique prioridade, limite e fence da workstation", "Check priority, limit and the workstation fence"
            )
        }
        return pick(
            "Verifique \(first.target) (\(first.status ?? "?"))", "Check \(first.target) (\(first.status ?? "?"))")
    }

    var nextStepForUnknownJob: String {
        pick("Confira o nome (ou use curingas, como PAYROLL_*)", "Check the name (or use wildcards, such as PAYROLL_*)")
    }
}
