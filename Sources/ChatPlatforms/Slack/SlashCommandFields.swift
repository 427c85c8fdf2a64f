/// The fields of a slash command that Resync reads, from its form body.
///
/// Slack sends about fifteen fields (token, team and channel names, the app id, enterprise fields…) and Resync
/// reads seven; the others are skipped without being decoded. Every slash command is parsed while its sender waits
/// for the acknowledgement: decoding every field into a dictionary was the largest part of the parse. A field read
/// here is decoded as strictly as `FormDecoding.decode` does, and the first of a repeated name wins.
struct SlashCommandFields {
    var sslCheck: String?
    var teamID: String?
    var channelID: String?
    var userID: String?
    var triggerID: String?
    var text: String?
    var responseURL: String?

    init(form body: [UInt8]) throws(ChatRequestError) {
        try FormDecoding.forEachField(in: body) { (name, value) throws(ChatRequestError) in
            switch try FormDecoding.decodeComponent(name) {
            case "ssl_check": if sslCheck == nil { sslCheck = try FormDecoding.decodeComponent(value) }
            case "team_id": if teamID == nil { teamID = try FormDecoding.decodeComponent(value) }
            case "channel_id": if channelID == nil { channelID = try FormDecoding.decodeComponent(value) }
            case "user_id": if userID == nil { userID = try FormDecoding.decodeComponent(value) }
            case "trigger_id": if triggerID == nil { triggerID = try FormDecoding.decodeComponent(value) }
            case "text": if text == nil { text = try FormDecoding.decodeComponent(value) }
            case "response_url": if responseURL == nil { responseURL = try FormDecoding.decodeComponent(value) }
            default: break
            }
        }
    }
}
