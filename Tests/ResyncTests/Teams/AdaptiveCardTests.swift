import ChatPlatforms
import Foundation
import ResyncCore
import TestSupport
import Testing

@Suite("Teams Adaptive Card rendering")
struct AdaptiveCardTests {
    static func json(_ value: TeamsJSON) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(value.serialized().utf8)) as? [String: Any])
    }

    static func texts(in card: [String: Any]) -> [String] {
        (card["body"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
    }

    static func facts(in card: [String: Any]) -> [String: String] {
        var facts: [String: String] = [:]
        for element in card["body"] as? [[String: Any]] ?? [] where element["type"] as? String == "FactSet" {
            for fact in element["facts"] as? [[String: String]] ?? [] { facts[fact["title"] ?? ""] = fact["value"] }
        }
        return facts
    }

    @Test func cardHasStatusFactsDiagnosisOwnerLinksAndFallback() throws {
        let card = try Self.json(AdaptiveCardRenderer().card(for: ChatAnswerSamples.statusAnswer()))
        #expect(card["type"] as? String == "AdaptiveCard")
        #expect(card["version"] as? String == "1.4")
        let texts = Self.texts(in: card)
        #expect(texts.first == "PAYROLL_FINAL failed with RC 12 at 03:12 UTC")
        let facts = Self.facts(in: card)
        #expect(facts["Job"] == "WA_PROD#PAYROLL_DAILY.PAYROLL_FINAL")
        #expect(facts["Status"] == "ERROR (ABEND)")
        #expect(facts["Return code"] == "12")
        #expect(facts["Ended"] == "2025-11-26 03:12:00 UTC")
        #expect(facts["Owner"] == "Payroll team")
        #expect(facts["Contacts"] == "ana@example.com, #payroll-oncall")
        #expect(texts.contains("Diagnosis"))
        #expect(texts.contains("• Payroll input missing: Check the input file on /data/payroll and rerun."))
        #expect(texts.contains("Live status from HWA at 2025-11-26 03:12:00 UTC"))
        let actions = try #require(card["actions"] as? [[String: String]])
        #expect(actions == [["type": "Action.OpenUrl", "title": "Runbook", "url": "https://wiki.example.com/payroll"]])
        let fallback = try #require(card["fallbackText"] as? String)
        #expect(fallback.contains("PAYROLL_FINAL failed with RC 12"))
        #expect(fallback.contains("Runbook: https://wiki.example.com/payroll"))
    }

    @Test func portugueseAnswerUsesPortugueseLabels() throws {
        let card = try Self.json(
            AdaptiveCardRenderer().card(for: ChatAnswerSamples.statusAnswer(language: .portuguese)))
        let facts = Self.facts(in: card)
        #expect(facts["Código de retorno"] == "12")
        #expect(Self.texts(in: card).contains("Diagnóstico"))
    }

    @Test func replyEnvelopeWrapsTheCardAsTeamsAndWorkflowsExpect() throws {
        let renderer = AdaptiveCardRenderer()
        let envelope = try Self.json(TeamsMessage.card(renderer.card(for: ChatAnswerSamples.statusAnswer())))
        #expect(envelope["type"] as? String == "message")
        let attachments = try #require(envelope["attachments"] as? [[String: Any]])
        #expect(attachments.count == 1)
        #expect(attachments[0]["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        #expect(attachments[0]["contentUrl"] is NSNull)
        #expect((attachments[0]["content"] as? [String: Any])?["version"] as? String == "1.4")

        let text = try Self.json(TeamsMessage.text("Working on it"))
        #expect(text as NSDictionary == ["type": "message", "text": "Working on it"] as NSDictionary)
    }

    @Test func longJobListsAreSummarised() throws {
        let jobs = (1...14).map { ChatAnswerSamples.failedJob(name: "JOB\($0)") }
        let card = try Self.json(
            AdaptiveCardRenderer(maximumJobs: 10).card(for: ChatAnswerSamples.statusAnswer(jobs: jobs)))
        let factSets = (card["body"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "FactSet" }
        #expect(factSets.count == 11)  // ten jobs and the owner
        #expect(Self.texts(in: card).contains("… +4"))
    }
}
