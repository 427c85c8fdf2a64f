import Agent
import Foundation
import ResyncCore
import TestSupport
import Testing

/// `learn …` reaches the agent only when the chat core could not learn it in a thread; the agent explains how.
@Suite("Agent: learn / aprender")
struct AgentLearnTests {
    @Test(arguments: ["learn rerun after freeing the dataset", "aprender reexecutar após liberar", "learn"])
    func learnOutsideAThreadExplainsHowAndConsultsNothing(question: String) async throws {
        let harness = AgentHarness()
        let answer = await harness.ask(question, language: .english)
        #expect(answer.parsed.intent == .learn)
        let text = [answer.headline, answer.body ?? ""].joined(separator: "\n")
        #expect(
            text.contains("learn") || text.contains("aprender"), "\(text)")
        #expect(text.contains("Nothing was stored") || text.contains("Nada foi guardado"), "\(text)")
        #expect(answer.liveStatus == nil)
        #expect(answer.diagnosis.isEmpty)
    }

    @Test func helpListsLearnInBothLanguages() async throws {
        let english = await AgentHarness().ask("help", language: .english)
        #expect(english.body?.contains("learn SOLUTION") == true)
        let portuguese = await AgentHarness().ask("ajuda", language: .portuguese)
        #expect(portuguese.body?.contains("aprender SOLUÇÃO") == true)
    }

    @Test func learnCommandTextIsEverythingAfterTheKeyword() {
        #expect(LearnCommand.text(of: "learn  rerun STEP03\nafter the lock") == "rerun STEP03\nafter the lock")
        #expect(LearnCommand.text(of: "Aprender limpar o lock") == "limpar o lock")
        #expect(LearnCommand.text(of: "learn") == "")
        #expect(LearnCommand.text(of: "learned nothing") == nil)
        #expect(LearnCommand.text(of: "status JOB_B") == nil)
    }
}
