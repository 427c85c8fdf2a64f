import Foundation
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// The fake server's side of `/api/v4/websocket`.
enum FakeMattermostSocket {
    enum Push: Sendable {
        case text(String)
        case drop
    }

    /// Expects `authentication_challenge` first; on success replies `OK`, sends `hello` and then pushes events
    /// until the client leaves or the test drops the socket.
    static func serve(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, token: String, state: FakeMattermostState
    ) async throws {
        let (pushes, pushInput) = AsyncStream.makeStream(of: Push.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var registered: Int?
                defer { pushInput.finish() }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard registered == nil, case .text(let text) = message else { continue }
                    guard isChallenge(text, token: token) else {
                        await state.noteRefusedSocket()
                        try await outbound.write(
                            .text(
                                #"{"status":"FAIL","seq_reply":1,"error":{"id":"api.web_socket_router.not_authenticated.app_error"}}"#
                            ))
                        try await outbound.close(.policyViolation, reason: "not authenticated")
                        return
                    }
                    try await outbound.write(.text(#"{"status":"OK","seq_reply":1}"#))
                    try await outbound.write(
                        .text(
                            #"{"event":"hello","data":{"server_version":"10.0.0"},"broadcast":{"user_id":"botuserid00000000000000000"},"seq":0}"#
                        ))
                    registered = await state.register(pushInput)
                }
                if let registered { await state.unregister(registered) }
            }
            group.addTask {
                for await push in pushes {
                    switch push {
                    case .text(let text):
                        try await outbound.write(.text(text))
                    case .drop:
                        try await outbound.close(.goingAway, reason: "server restarting")
                        return
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private static func isChallenge(_ text: String, token: String) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            object["action"] as? String == "authentication_challenge",
            let data = object["data"] as? [String: Any]
        else { return false }
        return data["token"] as? String == token
    }
}
