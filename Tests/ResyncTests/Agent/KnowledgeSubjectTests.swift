import Agent
import Foundation
import ResyncCore
import TestSupport
import Testing

@Suite("What a knowledge entry may be used for")
struct KnowledgeSubjectTests {
    static func match(
        job: String? = nil, errors: [String] = [], reasons: [MatchReason], title: String = "entry"
    ) -> KnowledgeMatch {
        KnowledgeMatch(
            entry: KnowledgeSamples.entry(title, job: job, errors: errors, title: title, owner: "Team"), score: 1,
            reasons: reasons)
    }

    static let payrollRC12 = KnowledgeSubject(jobName: "PAYROLL_FINAL", errorCodes: ["rc 12"])

    @Test(
        "uses of each kind of match",
        arguments: [
            // The job asked about, written for its error, for none, or for "an abend".
            (
                payrollRC12, match(job: "PAYROLL_FINAL", errors: ["RC=12"], reasons: [.exactJob, .errorCode("RC=12")]),
                .aboutSubject
            ),
            (payrollRC12, match(job: "PAYROLL_FINAL", reasons: [.exactJob]), .aboutSubject),
            (payrollRC12, match(job: "PAYROLL_FINAL", errors: ["ABEND"], reasons: [.exactJob]), .aboutSubject),
            // The job asked about, written for another error.
            (payrollRC12, match(job: "PAYROLL_FINAL", errors: ["RC=16"], reasons: [.exactJob]), .aboutOtherError),
            (
                payrollRC12, match(job: "PAYROLL_*", errors: ["RC=4", "S0C4"], reasons: [.jobPattern("PAYROLL_*")]),
                .aboutOtherError
            ),
            // General know-how about the error; other jobs' entries; shared words only.
            (payrollRC12, match(errors: ["RC=12"], reasons: [.errorCode("RC=12")]), .aboutError),
            (payrollRC12, match(job: "BKP_DB_DAILY", errors: ["RC=12"], reasons: [.errorCode("RC=12")]), .related),
            (payrollRC12, match(job: "FINAL_BATCH_PAYROLL", reasons: [.jobStream("FOLHA_MENSAL")]), .related),
            (payrollRC12, match(job: "PAYROLL_FINAL", reasons: [.text]), .unrelated),
            (payrollRC12, match(reasons: [.text, .semantic]), .unrelated),
            (KnowledgeSubject(jobName: "JOB_XYZ"), match(job: "PAYROLL_FINAL", reasons: [.text]), .unrelated),
            (
                KnowledgeSubject(errorCodes: ["RC=99"]), match(job: "PAYROLL_*", errors: ["RC=4"], reasons: [.text]),
                .unrelated
            ),
            // A question about an error alone: the general entry speaks for it, a job's entry may guide.
            (
                KnowledgeSubject(errorCodes: ["S0C4"]), match(errors: ["S0C4"], reasons: [.errorCode("S0C4")]),
                .aboutSubject
            ),
            (
                KnowledgeSubject(errorCodes: ["S0C4"]),
                match(job: "JOB_B", errors: ["S0C4"], reasons: [.errorCode("S0C4")]), .aboutError
            ),
            // "abend" alone tells no entry apart; with it the job's entries agree with any code.
            (
                KnowledgeSubject(jobName: "JOB_B", errorCodes: ["ABEND"]),
                match(job: "JOB_B", errors: ["RC=1"], reasons: [.exactJob]), .aboutSubject
            ),
            // A search by words: the words are the subject.
            (KnowledgeSubject(), match(reasons: [.text]), .aboutSubject),
            (KnowledgeSubject(errorCodes: ["ABEND"]), match(reasons: [.text]), .aboutSubject),
        ] as [(KnowledgeSubject, KnowledgeMatch, KnowledgeUse)])
    func use(subject: KnowledgeSubject, match: KnowledgeMatch, expected: KnowledgeUse) {
        #expect(subject.use(of: match) == expected, "\(match.entry.jobPattern ?? "-") \(match.reasons)")
    }

    @Test func onlyEntriesAboutTheSubjectNameTheOwnerOrGuide() {
        let knowledge = TeamKnowledge(
            matches: [
                Self.match(job: "PAYROLL_FINAL", errors: ["RC=16"], reasons: [.exactJob], title: "other error"),
                Self.match(job: "BKP_DB_DAILY", errors: ["RC=12"], reasons: [.errorCode("RC=12")], title: "other job"),
                Self.match(reasons: [.text], title: "words"),
                Self.match(errors: ["RC=12"], reasons: [.errorCode("RC=12")], title: "general"),
                Self.match(job: "PAYROLL_*", reasons: [.jobPattern("PAYROLL_*")], title: "pattern"),
            ], subject: Self.payrollRC12)
        #expect(knowledge.shown.map(\.entry.title) == ["pattern", "general", "other error", "other job"])
        #expect(knowledge.guidance?.title == "pattern")
        #expect(knowledge.ownerEntries.map(\.title) == ["pattern", "other error"])
        #expect(!knowledge.isEmpty)
    }

    @Test func nothingAboutTheSubjectListsNothing() {
        let knowledge = TeamKnowledge(
            matches: [
                Self.match(reasons: [.text], title: "words"),
                Self.match(job: "BKP_DB_DAILY", errors: ["RC=12"], reasons: [.errorCode("RC=12")], title: "other job"),
            ], subject: Self.payrollRC12)
        #expect(knowledge.shown.isEmpty)
        #expect(knowledge.guidance == nil)
        #expect(knowledge.ownerEntries.isEmpty)
        #expect(knowledge.isEmpty)
    }

    @Test func aKnownSolutionLearntFromAnotherErrorIsNotOffered() {
        let solutions = [
            Memory(
                kind: .knownSolution, jobName: "PAYROLL_FINAL", errorSignature: "ABEND RC=8", text: "rc8",
                createdAt: .now),
            Memory(
                kind: .knownSolution, jobName: "PAYROLL_FINAL", errorSignature: "ABEND RC=12", text: "rc12",
                createdAt: .now),
        ]
        #expect(TeamKnowledge(solutions: solutions, subject: Self.payrollRC12).knownSolution?.text == "rc12")
        let anyError = KnowledgeSubject(jobName: "PAYROLL_FINAL")
        #expect(TeamKnowledge(solutions: solutions, subject: anyError).knownSolution?.text == "rc8")
    }
}
