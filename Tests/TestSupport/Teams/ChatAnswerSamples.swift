import Foundation
import ResyncCore

/// Answers with every section filled, for the Teams and Mattermost renderer tests.
public enum ChatAnswerSamples {
    public static let failedAt = Date(timeIntervalSince1970: 1_764_126_720)  // 2025-11-26 03:12:00 UTC

    public static func failedJob(name: String = "PAYROLL_FINAL", returnCode: Int = 12) -> Job {
        Job(
            id: "job-\(name)", name: name, workstation: "/WA_PROD", jobStreamName: "PAYROLL_DAILY",
            commonStatus: .error, internalStatus: InternalStatus("ABEND"),
            runs: [
                JobRun(
                    id: "run-\(name)", commonStatus: .error, internalStatus: InternalStatus("ABEND"),
                    returnCode: returnCode, startTime: failedAt.addingTimeInterval(-300), endTime: failedAt)
            ])
    }

    public static func statusAnswer(language: Language = .english, jobs: [Job]? = nil, logTail: [String]? = nil)
        -> Answer
    {
        let jobs = jobs ?? [failedJob()]
        let entry = KnowledgeEntry(
            key: "kb-1", jobPattern: "PAYROLL_*", errorCodes: ["RC=12"], title: "Payroll input missing",
            procedure: "Check the input file on /data/payroll and rerun.", owner: "Payroll team",
            source: KnowledgeSource(file: "kb.xlsx", sheet: "Jobs", row: 4))
        return Answer(
            id: "answer-1", question: "status PAYROLL_FINAL",
            parsed: ParsedQuestion(intent: .jobStatus, language: language, jobName: jobs.first?.name),
            headline: "PAYROLL_FINAL failed with RC 12 at 03:12 UTC",
            liveStatus: LiveStatusSection(
                freshness: .live(at: failedAt), jobs: jobs.map { JobSnapshot(job: $0, logTail: logTail) }),
            diagnosis: DiagnosisSection(procedures: [KnowledgeMatch(entry: entry, score: 0.9, reasons: [])]),
            owner: OwnerSection(owner: "Payroll team", contacts: ["ana@example.com", "#payroll-oncall"]),
            links: [AnswerLink(title: "Runbook", url: "https://wiki.example.com/payroll")],
            nextStep: "Rerun after the file arrives.", notices: [.noKnowledge], createdAt: failedAt)
    }
}
