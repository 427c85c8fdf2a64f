import Testing

@testable import Auditor

@Suite("LLM judge verdicts")
struct JudgeVerdictParsingTests {
    @Test(arguments: [
        (#"{"is_incorrect": true, "confidence": 0.9, "reason": "rc 12 is not fixed by a restart"}"#, true, 0.9),
        ("```json\n{\"is_incorrect\": false, \"confidence\": 1, \"reason\": \"matches the runbook\"}\n```", false, 1.0),
        (#"Here you go: {"reason": "ok", "confidence": 0.0, "is_incorrect": false}"#, false, 0.0),
    ])
    func acceptsWellFormedVerdicts(text: String, incorrect: Bool, confidence: Double) throws {
        let verdict = try LLMMemoryJudge.parseVerdict(text)
        #expect(verdict.isIncorrect == incorrect)
        #expect(verdict.confidence == confidence)
        #expect(!verdict.reason.isEmpty)
    }

    @Test(arguments: [
        "", "I think it is wrong", #"{"is_incorrect": "yes", "confidence": 0.9, "reason": "x"}"#,
        #"{"is_incorrect": true, "confidence": 1.7, "reason": "x"}"#,
        #"{"is_incorrect": true, "confidence": -0.1, "reason": "x"}"#,
        #"{"is_incorrect": true, "confidence": true, "reason": "x"}"#,
        #"{"is_incorrect": 1, "confidence": 0.9, "reason": "x"}"#,
        #"{"is_incorrect": true, "confidence": 0.9}"#, #"{"is_incorrect": true, "confidence": 0.9, "reason": "  "}"#,
        #"{"is_incorrect": true, "confidence": 0.9, "reason": "x""#,
    ])
    func rejectsMalformedVerdicts(text: String) {
        #expect(throws: JudgeError.self) { try LLMMemoryJudge.parseVerdict(text) }
    }
}
