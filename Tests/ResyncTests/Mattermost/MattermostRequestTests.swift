import ChatPlatforms
import Foundation
import ResyncCore
import Testing

@Suite("Mattermost slash command and outgoing webhook parsing")
struct MattermostRequestTests {
    static let slashToken = "qzgakf1nx3yt9dr4n8585ihbxy"
    static let outgoingToken = "zmigewsanbbsdf59xnmduzypjc"
    static let reader = MattermostRequestReader(slashToken: Secret(slashToken), outgoingToken: Secret(outgoingToken))

    /// The developer docs' sample command request, with the fields the current server adds.
    static func commandForm(token: String = slashToken, rootID: String = "") -> [UInt8] {
        Array(
            ("channel_id=cniah6qa73bjjjan6mzn11f4ie&channel_name=town-square&command=%2Fresync"
                + "&response_url=https%3A%2F%2Fchat.example.com%2Fhooks%2Fcommands%2Fxyz&team_domain=someteam"
                + "&team_id=rdc9bgriktyx9p4kowh3dmgqyc&text=status+PAYROLL_FINAL&token=\(token)"
                + "&trigger_id=ZGV2a2xkaTd3dWhkZjNwNW9tNWFhM3ZjeGU6Y29tbWFuZA&user_id=c3a4cqe3dfy6dgopqt8ai3hydh"
                + "&user_name=somename&root_id=\(rootID)").utf8)
    }

    @Test func commandWithTokenInHeaderAndForm() throws {
        let command = try Self.reader.slashCommand(
            headers: [
                "Authorization": "Token \(Self.slashToken)", "Content-Type": "application/x-www-form-urlencoded",
            ],
            body: Self.commandForm())
        #expect(command.channelID == "cniah6qa73bjjjan6mzn11f4ie")
        #expect(command.text == "status PAYROLL_FINAL")
        #expect(command.command == "/resync")
        #expect(command.userID == "c3a4cqe3dfy6dgopqt8ai3hydh")
        #expect(command.rootID == nil)
        #expect(command.responseURL == "https://chat.example.com/hooks/commands/xyz")
        let question = command.inboundQuestion(receivedAt: Date())
        #expect(question.dedupeKey == "mattermost:command:ZGV2a2xkaTd3dWhkZjNwNW9tNWFhM3ZjeGU6Y29tbWFuZA")
        #expect(question.conversation.thread == nil)
    }

    @Test func commandTypedInAThreadCarriesItsRoot() throws {
        let command = try Self.reader.slashCommand(
            headers: [:], body: Self.commandForm(rootID: "rootpost0000000000000000aa"))
        #expect(command.rootID == "rootpost0000000000000000aa")
        #expect(command.inboundQuestion(receivedAt: Date()).conversation.thread == "rootpost0000000000000000aa")
    }

    @Test func headerTokenAloneIsEnough() throws {
        let body = String(decoding: Self.commandForm(), as: UTF8.self).replacingOccurrences(
            of: "token=\(Self.slashToken)", with: "")
        _ = try Self.reader.slashCommand(headers: ["authorization": "Token \(Self.slashToken)"], body: Array(body.utf8))
    }

    @Test func wrongOrMissingCommandTokenIsRejected() throws {
        #expect(throws: MattermostRequestError.tokenMismatch) {
            try Self.reader.slashCommand(headers: [:], body: Self.commandForm(token: "qzgakf1nx3yt9dr4n8585ihbxz"))
        }
        #expect(throws: MattermostRequestError.tokenMismatch) {
            try Self.reader.slashCommand(headers: ["Authorization": "Token wrong"], body: Self.commandForm())
        }
        #expect(throws: MattermostRequestError.missingToken) {
            try Self.reader.slashCommand(headers: [:], body: Self.commandForm(token: ""))
        }
        let disabled = MattermostRequestReader(slashToken: nil, outgoingToken: nil)
        #expect(throws: MattermostRequestError.tokenMismatch) {
            try disabled.slashCommand(headers: [:], body: Self.commandForm())
        }
        #expect(MattermostRequestError.tokenMismatch.isAuthenticationFailure)
    }

    static let outgoingFields: [String: String] = [
        "channel_id": "hawos4dqtby53pd64o4a4cmeoo", "channel_name": "ops", "team_domain": "someteam",
        "team_id": "kwoknj9nwpypzgzy78wkw516qe", "post_id": "axdygg1957njfe5pu38saikdho",
        "text": "resync why is JOB2 waiting",
        "timestamp": "1445532266", "token": outgoingToken, "trigger_word": "resync",
        "user_id": "rnina9994bde8mua79zqcg5hmo",
        "user_name": "somename",
    ]

    @Test func outgoingWebhookAsJSON() throws {
        var fields: [String: Any] = Self.outgoingFields
        fields["timestamp"] = 1_445_532_266
        let body = try JSONSerialization.data(withJSONObject: fields)
        let message = try Self.reader.outgoingWebhook(
            headers: ["Content-Type": "application/json; charset=utf-8"], body: Array(body))
        #expect(message.text == "why is JOB2 waiting")
        #expect(message.postID == "axdygg1957njfe5pu38saikdho")
        #expect(message.triggerWord == "resync")
        let question = message.inboundQuestion(receivedAt: Date())
        #expect(question.dedupeKey == "mattermost:post:axdygg1957njfe5pu38saikdho")
        #expect(question.conversation.thread == "axdygg1957njfe5pu38saikdho")
    }

    @Test func outgoingWebhookAsForm() throws {
        let body = Self.outgoingFields.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }
        .joined(separator: "&")
        let message = try Self.reader.outgoingWebhook(
            headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Array(body.utf8))
        #expect(message.text == "why is JOB2 waiting")
        #expect(message.channelID == "hawos4dqtby53pd64o4a4cmeoo")
    }

    @Test func outgoingWebhookWithSlashTokenIsRejected() throws {
        var fields = Self.outgoingFields
        fields["token"] = Self.slashToken
        let body = try JSONSerialization.data(withJSONObject: fields)
        #expect(throws: MattermostRequestError.tokenMismatch) {
            try Self.reader.outgoingWebhook(headers: ["Content-Type": "application/json"], body: Array(body))
        }
    }

    @Test func outgoingWebhookNeedsAKnownContentType() {
        #expect(throws: MattermostRequestError.unsupportedContentType("text/plain")) {
            try Self.reader.outgoingWebhook(headers: ["Content-Type": "text/plain"], body: Array("hi".utf8))
        }
    }
}

@Suite("Mattermost acknowledgements")
struct MattermostAcknowledgementTests {
    @Test func commandAcknowledgementIsEphemeralJSON() throws {
        let body = MattermostAcknowledgement.command(question: "status PAYROLL_FINAL", language: .english)
        let json = try #require(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String])
        #expect(json["response_type"] == "ephemeral")
        #expect(json["text"]?.contains("`status PAYROLL_FINAL`") == true)
        let portuguese = MattermostAcknowledgement.command(question: "status X", language: .portuguese)
        #expect(portuguese.contains("Trabalhando"))
    }
}
