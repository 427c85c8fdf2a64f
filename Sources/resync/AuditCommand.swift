import ArgumentParser
import Auditor
import Storage
import Web

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the memory auditor.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score every active or flagged memory once and apply the policy.",
            discussion: """
                Uses DATABASE_URL, the HWA settings (staleness: is the job still in the plan?) and, when
                AUDITOR_MODEL_NAME is set, an LLM judge. Human-approved memories are never touched; every action
                is in the audit log and can be undone on /revisao.
                """)

        func run() async throws {
            try await withOpenDatabase(label: "resync.audit") { config, database, logger in
                let memories = KnowledgeWiring.make(config: config, database: database, logger: logger).memories
                let auditor = AuditorWiring.makeAuditor(
                    memories: memories, scheduler: nil, judge: try AuditorWiring.makeJudge(config.llm, logger: logger),
                    logger: logger)
                let report = try await auditor.run()
                print(
                    "examined \(report.examined), flagged \(report.flagged), soft-deleted \(report.softDeleted), "
                        + "judge failures \(report.judgeFailures)")
                for finding in report.findings where finding.action != .keep {
                    print(
                        "- \(finding.memoryID): \(finding.action.rawValue): \(finding.reasons.joined(separator: "; "))")
                }
            }
        }
    }
}
