import LLM
import TestSupport
import Testing
import Web

@Suite("Auditor wiring")
struct AuditorWiringTests {
    /// `serve` used to blame AGENT_MODEL_NAME for an auditor model it could not route.
    @Test func anUnroutableJudgeModelNamesAUDITOR_MODEL_NAME() throws {
        var llm = try AppConfig.load(environment: [:]).llm
        llm.auditorModel = "bogus/xyz"
        let error = try #require(throws: LLMRoutingError.self) {
            _ = try AuditorWiring.makeJudge(llm, logger: TestLogging.quiet("test.auditor-wiring"))
        }
        #expect(error.variable == "AUDITOR_MODEL_NAME")
        #expect("\(error)".hasPrefix("AUDITOR_MODEL_NAME 'bogus/xyz' needs LLM_ENDPOINT"))
        #expect(!"\(error)".contains("AGENT_MODEL_NAME"))
    }
}
