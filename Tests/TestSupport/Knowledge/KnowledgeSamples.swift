import Foundation
import ResyncCore

/// A small knowledge base covering every rule of the search cascade.
public enum KnowledgeSamples {
    public static func entry(
        _ key: String, job: String? = nil, stream: String? = nil, workstation: String? = nil, errors: [String] = [],
        title: String, description: String? = nil, procedure: String? = nil, owner: String? = nil
    ) -> KnowledgeEntry {
        KnowledgeEntry(
            key: key, jobPattern: job, jobStream: stream, workstation: workstation, errorCodes: errors, title: title,
            description: description, procedure: procedure, owner: owner, source: KnowledgeSource(file: "samples"))
    }

    public static let entries: [KnowledgeEntry] = [
        entry(
            "payroll-final", job: "PAYROLL_FINAL", errors: ["RC=12"], title: "PAYROLL_FINAL — RC=12",
            description: "Falha na execução da FOLHA DE PAGAMENTO", procedure: "Reexecute o passo STEP03",
            owner: "Equipe Folha"),
        entry(
            "payroll-any", job: "PAYROLL_*", title: "Jobs da folha", description: "Qualquer job da folha",
            procedure: "Acione o plantão da folha"),
        entry("payroll-p", job: "PAY@", title: "Jobs PAY", description: "Padrão amplo", procedure: "Veja o runbook"),
        entry(
            "finance-close", job: "/FINANCE/CLOSE_*", title: "Fechamento", description: "Jobs de fechamento",
            procedure: "Confira o calendário"),
        entry("job-q", job: "JOB_?", title: "Jobs de uma letra", procedure: "Fale com o batch"),
        entry("stream-etl", stream: "ETL_DIARIO", title: "Fluxo ETL diário", procedure: "Veja o painel de ETL"),
        entry("ws-db", workstation: "CPU_DB01", title: "Agente do banco", procedure: "Reinicie o serviço do agente"),
        entry(
            "abend-s0c4", errors: ["S0C4"], title: "ABEND S0C4", description: "Proteção de memória",
            procedure: "Verifique o programa e a entrada"),
        entry("rc8-billing", job: "BILLING_RUN", errors: ["RC=8"], title: "Billing RC 8", procedure: "Unlock ledger"),
        entry(
            "backup", job: "BKP_DB_DAILY", title: "Backup diário", description: "Backup do banco de dados",
            procedure: "Verifique espaço em disco"),
        entry(
            "general-agent", title: "Como reiniciar o agente", description: "Agente HWA parado",
            procedure: "Execute o script de start do agente"),
    ]
}
