import ChatPlatforms
import Foundation
import ResyncCore
import Testing

@Suite("Teams activity parsing and replay guard")
struct TeamsActivityTests {
    static let now = Date(timeIntervalSince1970: 1_764_140_000)  // 2025-11-26T06:53:20Z

    static func activity(
        id: String = "1485983408511", timestamp: String = "2025-11-26T06:52:20.2891902Z",
        text: String = "<at>Resync</at> status&nbsp;PAYROLL_FINAL"
    )
        -> [UInt8]
    {
        Array(
            """
            {"type":"message","id":"\(id)","timestamp":"\(timestamp)","serviceUrl":"https://smba.trafficmanager.net/amer/",
             "channelId":"msteams","from":{"id":"29:1XJKJMvc5GBt","name":"Ana Souza","aadObjectId":"c4a8"},
             "conversation":{"id":"19:abc@thread.skype;messageid=1485983408511","conversationType":"channel"},
             "text":"\(text)","replyToId":"1485983408500","channelData":{"tenant":{"id":"t1"}}}
            """.utf8)
    }

    @Test func readsTheActivity() throws {
        let message = try TeamsActivityParser.parse(Self.activity(), now: Self.now)
        #expect(message.activityID == "1485983408511")
        #expect(message.text == "status PAYROLL_FINAL")
        #expect(message.userID == "29:1XJKJMvc5GBt")
        #expect(message.userName == "Ana Souza")
        #expect(message.channelID == "19:abc@thread.skype")
        #expect(message.threadID == "1485983408511")
        #expect(message.replyToID == "1485983408500")
        #expect(abs(message.timestamp.timeIntervalSince(Self.now) + 59.7108098) < 0.001)

        let question = message.inboundQuestion(receivedAt: Self.now)
        #expect(question.dedupeKey == "teams:1485983408511")
        #expect(
            question.conversation
                == ConversationRef(
                    platform: .teams, channel: "19:abc@thread.skype", thread: "1485983408511", message: "1485983408511")
        )
    }

    @Test(arguments: ["2025-11-26T06:48:19Z", "2025-11-26T06:58:21.5Z"])
    func timestampsMoreThanFiveMinutesAwayAreRejected(timestamp: String) {
        #expect(throws: TeamsRequestError.staleTimestamp) {
            try TeamsActivityParser.parse(Self.activity(timestamp: timestamp), now: Self.now)
        }
    }

    @Test func timestampWithinFiveMinutesIsAccepted() throws {
        _ = try TeamsActivityParser.parse(Self.activity(timestamp: "2025-11-26T06:48:21Z"), now: Self.now)
    }

    @Test(arguments: [
        #"{"type":"message","timestamp":"2025-11-26T06:52:20Z","from":{"id":"u"},"conversation":{"id":"c"}}"#,
        #"{"type":"conversationUpdate","id":"1","timestamp":"2025-11-26T06:52:20Z","from":{"id":"u"},"conversation":{"id":"c"}}"#,
        #"{"type":"message","id":"1","timestamp":"yesterday","from":{"id":"u"},"conversation":{"id":"c"}}"#,
        "[1,2]",
    ])
    func malformedActivitiesAreRejected(body: String) {
        #expect {
            try TeamsActivityParser.parse(Array(body.utf8), now: Self.now)
        } throws: { error in
            guard case .malformedBody = error as? TeamsRequestError else { return false }
            return true
        }
    }

    @Test(arguments: [
        ("<at>Resync</at> status JOB1", "status JOB1"),
        ("<at id=\"0\">Resync Bot</at>   why is <b>JOB2</b> waiting?", "why is JOB2 waiting?"),
        ("health &amp; failures <at>Resync</at>", "health & failures"),
    ])
    func mentionsAndMarkupAreStripped(input: String, expected: String) {
        #expect(TeamsText.stripMentions(input) == expected)
    }

    @Test func replayedActivityIsRejectedAndInvalidRequestsDoNotBurnIds() async throws {
        let verifier = try TeamsSignatureVerifier(secret: TeamsSignatureTests.sampleKey)
        let receiver = TeamsWebhookReceiver(verifier: verifier, replayGuard: InMemoryTeamsReplayGuard())
        let body = Self.activity()
        await #expect(throws: TeamsRequestError.signatureMismatch) {
            try await receiver.receive(authorization: "HMAC AAAA", body: body, now: Self.now)
        }
        let first = try await receiver.receive(
            authorization: verifier.authorization(for: body), body: body, now: Self.now)
        #expect(first.activityID == "1485983408511")
        await #expect(throws: TeamsRequestError.replayedActivity) {
            try await receiver.receive(
                authorization: verifier.authorization(for: body), body: body, now: Self.now.addingTimeInterval(30))
        }
    }

    @Test func replayGuardForgetsAfterRetentionAndStaysBounded() async {
        let guardian = InMemoryTeamsReplayGuard(retention: 600, capacity: 3)
        #expect(await guardian.firstSighting(of: "a", at: Self.now))
        #expect(await !guardian.firstSighting(of: "a", at: Self.now.addingTimeInterval(599)))
        #expect(await guardian.firstSighting(of: "a", at: Self.now.addingTimeInterval(601)))
        for id in ["b", "c", "d", "e"] {
            _ = await guardian.firstSighting(of: id, at: Self.now.addingTimeInterval(602))
        }
        #expect(await guardian.count <= 3)
    }
}
