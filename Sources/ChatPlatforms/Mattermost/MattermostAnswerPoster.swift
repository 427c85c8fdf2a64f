import Foundation
import ResyncCore

/// Posts an answer with the bot account where the question was asked: a command typed in a thread is
/// answered in that thread, a command typed in the channel gets a new post that starts one, and an outgoing
/// webhook message gets a reply in its thread. Continuation chunks of a long answer follow in the same thread.
public struct MattermostAnswerPoster: Sendable {
    private let client: MattermostAPIClient
    private let renderer: MattermostMarkdownRenderer

    public init(client: MattermostAPIClient, renderer: MattermostMarkdownRenderer = MattermostMarkdownRenderer()) {
        self.client = client
        self.renderer = renderer
    }

    public func reply(to command: MattermostSlashCommand, with answer: Answer) async throws(MattermostAPIError)
        -> [MattermostPost]
    {
        try await post(renderer.render(answer), channelID: command.channelID, rootID: command.rootID)
    }

    public func reply(to message: MattermostOutgoingMessage, with answer: Answer) async throws(MattermostAPIError)
        -> [MattermostPost]
    {
        // `root_id` must name a thread's root; the triggering post may itself be a reply.
        let root = try await client.post(id: message.postID).threadRoot
        return try await post(renderer.render(answer), channelID: message.channelID, rootID: root)
    }

    /// Posts `chunks` in order: the first in `rootID`'s thread (or the channel), the rest under the first.
    public func post(_ chunks: [String], channelID: String, rootID: String?) async throws(MattermostAPIError)
        -> [MattermostPost]
    {
        var posted: [MattermostPost] = []
        var thread = rootID
        for chunk in chunks {
            let post = try await client.createPost(channelID: channelID, message: chunk, rootID: thread)
            posted.append(post)
            thread = thread ?? post.id
        }
        return posted
    }
}
