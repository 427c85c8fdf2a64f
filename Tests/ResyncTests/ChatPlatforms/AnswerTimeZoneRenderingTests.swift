import ChatPlatforms
import Foundation
import Logging
import ResyncCore
import TestSupport
import Testing

/// Every platform shows an answer's times in the zone its headline was written in (`RESYNC_TIME_ZONE`), so a
/// "failed at 00:12 GMT-3" headline is never followed by an "Ended 03:12 UTC" field.
@Suite("Answer times in the answer's time zone, on every platform")
struct AnswerTimeZoneRenderingTests {
    /// The sample job failed at 2025-11-26 03:12:00 UTC, which is 00:12 in São Paulo (UTC-3, no DST in 2025).
    static let ended = (utc: "2025-11-26 03:12:00 UTC", saoPaulo: "2025-11-26 00:12:00 GMT-3")

    static func answer(timeZone: String?) -> Answer {
        var answer = ChatAnswerSamples.statusAnswer()
        answer.timeZone = timeZone
        return answer
    }

    static func slackText(_ answer: Answer) throws -> String {
        let slack = try SlackPlatform(
            signingSecret: Secret("secret"), botToken: nil, apiBaseURL: "http://127.0.0.1:1/api",
            logger: Logger(label: "test.slack"))
        return slack.render(answer).map(\.payload).joined(separator: "\n")
    }

    static func teamsText(_ answer: Answer) -> String {
        AdaptiveCardRenderer().card(for: answer).serialized()
    }

    static func mattermostText(_ answer: Answer) -> String {
        MattermostMarkdownRenderer().markdown(for: answer)
    }

    @Test(
        "run end and freshness in the zone", arguments: [("America/Sao_Paulo", ended.saoPaulo), (nil, ended.utc)])
    func everyPlatform(zone: String?, expected: String) throws {
        let answer = Self.answer(timeZone: zone)
        let other = expected == Self.ended.utc ? Self.ended.saoPaulo : Self.ended.utc
        for (platform, text) in [
            ("slack", try Self.slackText(answer)), ("teams", Self.teamsText(answer)),
            ("mattermost", Self.mattermostText(answer)),
        ] {
            // Once for the run's end and once for the freshness line ("live from HWA at …").
            #expect(text.components(separatedBy: expected).count - 1 >= 2, "\(platform): \(text)")
            #expect(!text.contains(other), "\(platform): \(text)")
        }
    }

    @Test func anUnknownZoneFallsBackToUTC() {
        let answer = Self.answer(timeZone: "Mars/Olympus_Mons")
        #expect(answer.displayTimeZone == .gmt)
        #expect(Self.mattermostText(answer).contains(Self.ended.utc))
    }

    @Test func theRecoveryNoteUsesTheZoneToo() {
        let failed = JobRun(
            id: "r1", commonStatus: .error, internalStatus: InternalStatus("ABEND"), returnCode: 12,
            startTime: ChatAnswerSamples.failedAt.addingTimeInterval(-60), endTime: ChatAnswerSamples.failedAt)
        let rerun = JobRun(
            id: "r2", commonStatus: .successful, internalStatus: InternalStatus("SUCC"), returnCode: 0,
            startTime: ChatAnswerSamples.failedAt.addingTimeInterval(30),
            endTime: ChatAnswerSamples.failedAt.addingTimeInterval(61), isRerun: true)
        var job = ChatAnswerSamples.failedJob()
        job.runs = [failed, rerun]
        job.commonStatus = .successful
        let zone = TimeZone(identifier: "America/Sao_Paulo")!
        let note = AnswerPresentation(language: .portuguese, timeZone: zone).recoveryNote(for: job)
        #expect(note == "ABEND RC 12 — 2025-11-26 00:12:00 GMT-3; recuperado pelo rerun em 2025-11-26 00:13:01 GMT-3")
    }

    @Test func answersStoredBeforeTheFieldExistedStillDecode() throws {
        var answer = ChatAnswerSamples.statusAnswer()
        answer.timeZone = nil
        let encoded = try JSONEncoder().encode(answer)
        #expect(!String(decoding: encoded, as: UTF8.self).contains("timeZone"))
        let decoded = try JSONDecoder().decode(Answer.self, from: encoded)
        #expect(decoded.timeZone == nil && decoded.displayTimeZone == .gmt)
    }
}
