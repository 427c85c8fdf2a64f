import Foundation
import ResyncCore

/// The immediate HTTP 200 bodies of the two inbound endpoints. The answer itself follows through the REST
/// API, so these only tell the user that work started.
public enum MattermostAcknowledgement {
    /// For `/mattermost/command`: an ephemeral note (only the caller sees it), so the channel is not cluttered.
    /// Mattermost accepts only HTTP 200 with a body it can read as a command response.
    public static func command(question: String, language: Language) -> String {
        let shown = question.count > 200 ? String(question.prefix(200)) + "…" : question
        let text =
            language == .portuguese
            ? "⏳ Trabalhando em `\(shown)`… a resposta será publicada aqui."
            : "⏳ Working on `\(shown)`… the answer will be posted here."
        let body = ["response_type": "ephemeral", "text": text]
        let data = (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// For `/mattermost/webhook`: an empty JSON object; Mattermost posts nothing for it, and the answer is
    /// posted as a thread reply by the bot.
    public static let outgoingWebhook = "{}"
}
