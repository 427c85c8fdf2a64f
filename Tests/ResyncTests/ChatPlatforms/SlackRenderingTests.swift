import ChatPlatforms
import Foundation
import Logging
import ResyncCore
import TestSupport
import Testing

@Suite("Slack Block Kit rendering")
struct SlackRenderingTests {
    func platform() throws -> SlackPlatform {
        try SlackPlatform(
            signingSecret: Secret("secret"), botToken: nil, apiBaseURL: "http://127.0.0.1:1/api",
            logger: Logger(label: "test.slack"))
    }

    static func json(_ message: RenderedChatMessage) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(message.payload.utf8)) as? [String: Any])
    }

    static func sectionTexts(_ object: [String: Any]) -> [String] {
        (object["blocks"] as? [[String: Any]] ?? []).compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
    }

    @Test func answerHasStatusFieldsProcedureOwnerContextAndButtons() throws {
        let answer = FakeQuestionAnswering.makeAnswer("status PAYROLL_FINAL", context: QuestionContext())
        let messages = try platform().render(answer)
        #expect(messages.count == 1)
        let object = try Self.json(messages[0])
        let blocks = try #require(object["blocks"] as? [[String: Any]])
        let all = messages[0].payload
        #expect((object["text"] as? String)?.contains("PAYROLL_FINAL failed with RC 12") == true)
        #expect(Self.sectionTexts(object).first?.hasPrefix(":red_circle: *PAYROLL_FINAL failed") == true)
        let jobSection = try #require(blocks.first { ($0["fields"] as? [Any])?.isEmpty == false })
        let fields = (jobSection["fields"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        #expect(fields.contains("*RC*\n12"))
        #expect(fields.contains { $0.contains("CPU_PAY") })
        #expect(fields.contains { $0.hasPrefix("*Started*") } && fields.contains { $0.hasPrefix("*Ended*") })
        #expect(all.contains("Restart the step after checking the input file"))
        #expect(all.contains("Payroll Team"))
        #expect(all.contains("live from HWA at"))
        #expect(all.contains("knowledge: PAYROLL_FINAL RC 12"))
        #expect(blocks.last?["type"] as? String == "actions")
        #expect(all.contains("resync_helpful") && all.contains("resync_show_log"))
    }

    @Test func theSummaryNamesOnlyTheAnswersOwnerNeverAListedEntrysOwner() throws {
        // An answer lists entries that name no owner for its job (another job's, or general know-how).
        var answer = FakeQuestionAnswering.makeAnswer("status PAYROLL_FINAL", context: QuestionContext())
        answer.owner = nil
        let summary = try #require(try Self.json(try platform().render(answer)[0])["text"] as? String)
        #expect(summary.contains("PAYROLL_FINAL failed with RC 12"))
        #expect(!summary.contains("Payroll Team"), "\(summary)")
    }

    @Test func escapesSlackControlCharacters() throws {
        var answer = FakeQuestionAnswering.makeAnswer("status PAYROLL_FINAL", context: QuestionContext())
        answer.headline = "<!channel> R&D <script>"
        answer.body = "a < b && c > d"
        let object = try Self.json(try platform().render(answer)[0])
        let texts = Self.sectionTexts(object).joined(separator: "\n")
        #expect(texts.contains("&lt;!channel&gt; R&amp;D &lt;script&gt;"))
        #expect(texts.contains("a &lt; b &amp;&amp; c &gt; d"))
        #expect(!texts.contains("<!channel>"))
        #expect((object["text"] as? String)?.contains("&lt;!channel&gt;") == true)
    }

    @Test func longLogsAreSplitAcrossThreadMessagesWithinLimits() throws {
        let answer = FakeQuestionAnswering.makeAnswer(
            "log PAYROLL_FINAL", context: QuestionContext(), logLines: 2_000)
        let messages = try platform().render(answer)
        #expect(messages.count >= 3)
        var logLines = 0
        for message in messages {
            let object = try Self.json(message)
            let blocks = try #require(object["blocks"] as? [[String: Any]])
            #expect(blocks.count <= 50)
            for text in Self.sectionTexts(object) {
                #expect(text.count <= 3_000)
                logLines += text.components(separatedBy: "\n").filter { $0.contains("ended; ") }.count
            }
            #expect(Self.sectionTexts(object).joined().count <= 12_000)
        }
        // Every log line is shown once, in code blocks after the answer.
        #expect(logLines == 2_000)
        #expect(try Self.sectionTexts(Self.json(messages[1])).first?.contains("```") == true)
    }

    @Test func manyJobsStayUnderTheBlockLimit() throws {
        var answer = FakeQuestionAnswering.makeAnswer("failed jobs", context: QuestionContext(threadJobName: "X_Y"))
        let job = try #require(answer.liveStatus?.jobs.first)
        answer.parsed.jobName = nil
        answer.liveStatus?.jobs = (0..<200).map { index in
            var copy = job
            copy.job.name = "JOB_\(index)"
            return copy
        }
        answer.body = String(repeating: "explanation line\n", count: 600)
        for message in try platform().render(answer) {
            let object = try Self.json(message)
            #expect((object["blocks"] as? [Any])?.count ?? 0 <= 50)
            #expect(Self.sectionTexts(object).allSatisfy { $0.count <= 3_000 })
        }
    }

    @Test func noticesAreShownInTheAnswersLanguage() throws {
        let answer = Answer(
            question: "status X", parsed: ParsedQuestion(intent: .jobStatus, language: .portuguese, jobName: "X"),
            headline: "HWA fora", notices: [.schedulerUnavailable(reason: "timeout", lastGood: nil)], createdAt: Date())
        let payload = try platform().render(answer)[0].payload
        #expect(payload.contains("HWA indisponível: timeout"))
        #expect(payload.contains("Útil"))
    }
}
