import Foundation
import ResyncCore

/// A stand-in for the agent: answers like the real one would for a failed job (live status from "HWA",
/// the team's procedure and owner from the knowledge base), resolving follow-ups from the thread's job.
public actor FakeQuestionAnswering: QuestionAnswering {
    public private(set) var questions: [(text: String, context: QuestionContext)] = []
    let delay: Duration
    let logLines: Int

    /// - Parameters:
    ///   - delay: how long each answer takes (to test acks that must not wait for it).
    ///   - logLines: lines of log a `log` question returns.
    public init(delay: Duration = .zero, logLines: Int = 5) {
        self.delay = delay
        self.logLines = logLines
    }

    public var count: Int { questions.count }

    public nonisolated func answer(_ question: String, context: QuestionContext) async -> Answer {
        await record(question, context)
        if delay > .zero { try? await Task.sleep(for: delay) }
        return Self.makeAnswer(question, context: context, logLines: logLines)
    }

    func record(_ question: String, _ context: QuestionContext) {
        questions.append((question, context))
    }

    /// A job name is the first word in capitals with an underscore; otherwise the thread's job.
    public static func jobName(in question: String, context: QuestionContext) -> String? {
        let words = question.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).map(String.init)
        return words.first { $0.contains("_") && $0 == $0.uppercased() } ?? context.threadJobName
    }

    public static func makeAnswer(_ question: String, context: QuestionContext, logLines: Int = 5) -> Answer {
        let now = Date()
        guard let jobName = jobName(in: question, context: context) else {
            return Answer(
                question: question, parsed: ParsedQuestion(intent: .help, language: .english),
                headline: "Ask me about a job, e.g. `status PAYROLL_FINAL`.", createdAt: now)
        }
        let wantsLog = question.lowercased().contains("log")
        let run = JobRun(
            id: "run-1", commonStatus: .error, internalStatus: .abend, returnCode: 12,
            startTime: now.addingTimeInterval(-600), endTime: now.addingTimeInterval(-300))
        let job = Job(
            id: "job-\(jobName)", name: jobName, workstation: "CPU_PAY", jobStreamName: "PAYROLL_NIGHTLY",
            commonStatus: .error, internalStatus: .abend, runs: [run])
        let log = wantsLog ? (1...max(logLines, 1)).map { "line \($0): step \($0) ended; <rc> & status" } : nil
        let entry = KnowledgeEntry(
            key: "kb-\(jobName)", jobPattern: jobName, errorCodes: ["RC=12"], title: "\(jobName) RC 12",
            procedure: "Restart the step after checking the input file", owner: "Payroll Team",
            contact: "payroll@example.com", source: KnowledgeSource(file: "knowledge_base.xlsx", row: 7))
        return Answer(
            question: question,
            parsed: ParsedQuestion(intent: wantsLog ? .jobLog : .jobStatus, language: .english, jobName: jobName),
            headline: "\(jobName) failed with RC 12",
            liveStatus: LiveStatusSection(freshness: .live(at: now), jobs: [JobSnapshot(job: job, logTail: log)]),
            diagnosis: DiagnosisSection(procedures: [KnowledgeMatch(entry: entry, score: 1, reasons: [.exactJob])]),
            owner: OwnerSection(owner: "Payroll Team", contacts: ["payroll@example.com"]),
            sources: [
                SourceRef(kind: .scheduler, id: job.id, title: "HWA plan"),
                SourceRef(kind: .knowledge, id: entry.key, title: entry.title),
            ],
            createdAt: now, elapsedMilliseconds: 42)
    }
}
