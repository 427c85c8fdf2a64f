import Foundation
import ResyncCore
import TestSupport
import Testing

@testable import ChatPlatforms

/// Which job an answer leaves its thread about: follow-ups and `learn` in the thread resolve against it.
@Suite("The job an answer leaves its thread about")
struct ThreadSubjectTests {
    @Test func anAnswerAboutAJobInThePlanIsAboutThatJob() {
        let answer = FakeQuestionAnswering.makeAnswer("status PAYROLL_FINAL", context: QuestionContext())
        #expect(primaryJobName(of: answer) == "PAYROLL_FINAL")
    }

    @Test(
        "a name the plan does not hold, or holds several times, leaves the thread where it was",
        arguments: [
            AnswerNotice.unknownJob(name: "/DATA/IN", suggestions: []),
            AnswerNotice.ambiguousJob(name: "PAYROLL_*", candidates: ["PAYROLL_CALC", "PAYROLL_FINAL"]),
        ])
    func aMissedNameIsNoSubject(notice: AnswerNotice) {
        var answer = FakeQuestionAnswering.makeAnswer("status PAYROLL_FINAL", context: QuestionContext())
        answer.notices = [notice]
        #expect(primaryJobName(of: answer) == nil)
    }

    @Test func withHWADownTheNameAskedForIsStillTheSubject() {
        var answer = FakeQuestionAnswering.makeAnswer("status PAYROLL_FINAL", context: QuestionContext())
        answer.liveStatus = LiveStatusSection(freshness: .unavailable(reason: "timeout", lastGood: nil))
        answer.notices = [.schedulerUnavailable(reason: "timeout", lastGood: nil)]
        #expect(primaryJobName(of: answer) == "PAYROLL_FINAL")
    }
}
