import ChatPlatforms
import Foundation
import ResyncCore
import TestSupport
import Testing

@Suite("Mattermost Markdown rendering, chunking and reaction map")
struct MattermostRenderingTests {
    @Test func singleJobAnswerListsFactsDiagnosisOwnerAndLinks() {
        let text = MattermostMarkdownRenderer().markdown(for: ChatAnswerSamples.statusAnswer())
        #expect(text.hasPrefix("#### PAYROLL\\_FINAL failed with RC 12 at 03:12 UTC"))
        #expect(text.contains("- **Job:** WA\\_PROD#PAYROLL\\_DAILY.PAYROLL\\_FINAL"))
        #expect(text.contains("- **Return code:** 12"))
        #expect(text.contains("**Diagnosis**"))
        #expect(text.contains("**Owner:** Payroll team (ana@example.com, #payroll-oncall)"))
        #expect(text.contains("- [Runbook](https://wiki.example.com/payroll)"))
        #expect(text.contains("_Live status from HWA at 2025-11-26 03:12:00 UTC_"))
    }

    @Test func jobListsAreTables() {
        let jobs = [
            ChatAnswerSamples.failedJob(name: "JOB_A"), ChatAnswerSamples.failedJob(name: "JOB|B", returnCode: 8),
        ]
        let text = MattermostMarkdownRenderer().markdown(for: ChatAnswerSamples.statusAnswer(jobs: jobs))
        let lines = text.components(separatedBy: "\n")
        let header = lines.firstIndex { $0.hasPrefix("| Job | Status | Return code |") }
        #expect(header != nil)
        if let header {
            #expect(lines[header + 1] == "|:--|:--|--:|:--|:--|")
            #expect(lines[header + 2].hasPrefix("| WA\\_PROD#PAYROLL\\_DAILY.JOB\\_A | ERROR (ABEND) | 12 |"))
            #expect(lines[header + 3].contains("JOB\\|B"))
        }
    }

    @Test func longAnswersAreChunkedUnderTheLimitWithTableHeadersRepeated() {
        let jobs = (1...120).map { ChatAnswerSamples.failedJob(name: "NIGHTLY_BATCH_\($0)") }
        let renderer = MattermostMarkdownRenderer(maximumPostLength: 2_000)
        let answer = ChatAnswerSamples.statusAnswer(jobs: jobs)
        let posts = renderer.render(answer)
        #expect(posts.count > 5)
        #expect(posts.allSatisfy { $0.count <= 2_000 })
        for post in posts.dropFirst() where post.contains("NIGHTLY") {
            #expect(post.hasPrefix("| Job | Status |"))
        }
        // Nothing lost: every job appears exactly once across the posts.
        let joined = posts.joined(separator: "\n")
        for number in [1, 60, 120] {
            #expect(joined.components(separatedBy: "NIGHTLY\\_BATCH\\_\(number) |").count == 2)
        }
    }

    @Test func splitCodeFencesAreClosedAndReopened() {
        let tail = (1...300).map { "line \($0) of the job log output" }
        let answer = ChatAnswerSamples.statusAnswer(logTail: tail)
        let posts = MattermostMarkdownRenderer(maximumPostLength: 1_500).render(answer)
        #expect(posts.count > 2)
        for post in posts {
            #expect(post.count <= 1_500)
            #expect(post.components(separatedBy: "```").count % 2 == 1, "unbalanced fence in a post")
        }
    }

    @Test func shortAnswerIsOnePost() {
        #expect(MattermostMarkdownRenderer().render(ChatAnswerSamples.statusAnswer()).count == 1)
    }

    @Test(arguments: [
        ("+1", Feedback.Polarity.positive, "+1"), ("+1_skin_tone_3", .positive, "+1"), ("thumbsup", .positive, "+1"),
        ("white_check_mark", .positive, "white_check_mark"), ("-1", .negative, "-1"),
        ("thumbsdown_tone2", .negative, "-1"),
        ("x", .negative, "x"),
    ])
    func emojiMapNormalisesSkinTonesAndAliases(emoji: String, polarity: Feedback.Polarity, signal: String) {
        let map = MattermostReactionMap()
        #expect(map.polarity(of: emoji) == polarity)
        #expect(MattermostReactionMap.normalize(emoji) == signal)
    }

    @Test func emojiWithoutMeaningIsNoSignal() {
        #expect(MattermostReactionMap().polarity(of: "coffee") == nil)
    }
}
