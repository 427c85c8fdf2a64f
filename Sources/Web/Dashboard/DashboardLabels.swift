import ResyncCore

/// The dashboard's words in each language the UI speaks.
struct DashboardLabels: Sendable {
    var engine, reachable, unreachable, version, timeZone, breaker, lastGoodPoll, never, staleNotice: String
    var workstations, noWorkstations, needsAttention, allLinked, linked, unlinked, running, stopped: String
    var jobs, totalJobs, noJobs, failures, failuresWindow, noFailures, ask, returnCode, failuresOverTime: String
    var alerts, noAlerts, alert, recovery, bot, questions, noQuestions, latency, feedback, knowledge: String
    var entries, lastImport, importErrors, updated, live, reconnecting, chat, dashboard, docs, logout: String
    var noData: String

    static func of(_ language: Language) -> DashboardLabels {
        language == .english ? english : portuguese
    }

    static let english = DashboardLabels(
        engine: "HWA engine", reachable: "Reachable", unreachable: "HWA unreachable", version: "Version",
        timeZone: "Time zone", breaker: "Circuit breaker", lastGoodPoll: "Last good data", never: "never",
        staleNotice: "Figures below are from the last good poll.", workstations: "Workstations",
        noWorkstations: "No workstation data yet.", needsAttention: "need attention",
        allLinked: "all linked and running",
        linked: "linked", unlinked: "NOT LINKED", running: "running", stopped: "NOT RUNNING", jobs: "Jobs in the plan",
        totalJobs: "jobs", noJobs: "No job counts yet.", failures: "Failures", failuresWindow: "last %d h",
        noFailures: "No failures in this window.", ask: "Ask why", returnCode: "RC",
        failuresOverTime: "Failures per hour", alerts: "Alerts and recoveries",
        noAlerts: "No alerts or recoveries posted yet.", alert: "alert", recovery: "recovered", bot: "Bot activity",
        questions: "questions", noQuestions: "No questions answered yet.", latency: "Answer latency",
        feedback: "Feedback", knowledge: "Knowledge base", entries: "entries", lastImport: "Last import",
        importErrors: "import errors", updated: "Updated", live: "live", reconnecting: "reconnecting…", chat: "Chat",
        dashboard: "Dashboard", docs: "API docs", logout: "Log out",
        noData: "No data yet: HWA has not answered since Resync started.")

    static let portuguese = DashboardLabels(
        engine: "Engine HWA", reachable: "Acessível", unreachable: "HWA inacessível", version: "Versão",
        timeZone: "Fuso horário", breaker: "Circuit breaker", lastGoodPoll: "Últimos dados bons", never: "nunca",
        staleNotice: "Os números abaixo são da última consulta bem-sucedida.", workstations: "Workstations",
        noWorkstations: "Ainda sem dados de workstations.", needsAttention: "precisam de atenção",
        allLinked: "todas linkadas e rodando", linked: "linkada", unlinked: "NÃO LINKADA", running: "rodando",
        stopped: "PARADA", jobs: "Jobs no plano", totalJobs: "jobs", noJobs: "Ainda sem contagem de jobs.",
        failures: "Falhas", failuresWindow: "últimas %d h", noFailures: "Nenhuma falha nesta janela.",
        ask: "Perguntar", returnCode: "RC", failuresOverTime: "Falhas por hora", alerts: "Alertas e recuperações",
        noAlerts: "Nenhum alerta ou recuperação publicado ainda.", alert: "alerta", recovery: "recuperado",
        bot: "Atividade do bot", questions: "perguntas", noQuestions: "Nenhuma pergunta respondida ainda.",
        latency: "Latência das respostas", feedback: "Feedback", knowledge: "Base de conhecimento",
        entries: "entradas", lastImport: "Última importação", importErrors: "erros de importação",
        updated: "Atualizado", live: "ao vivo", reconnecting: "reconectando…", chat: "Chat", dashboard: "Painel",
        docs: "Docs da API", logout: "Sair",
        noData: "Sem dados ainda: o HWA não respondeu desde que o Resync iniciou.")
}
