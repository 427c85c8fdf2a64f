import Foundation
import Hummingbird
import Logging
import NIOCore

/// Per-request state shared by every route.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The id echoed in `X-Request-Id` and attached to every log line of the request.
    public var requestID: String
    /// Who is logged in, set by `SessionAuthenticator` from the session cookie.
    public var identity: WebIdentity?
    /// The peer's IP address, for login throttling.
    public var remoteAddress: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// JSON with sorted keys, so the same value always produces the same bytes (caches, diffs, tests).
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// Request bodies are capped at 1 MiB everywhere; webhooks and the API never need more.
    public var maxUploadSize: Int { BodyLimitMiddleware<Self>.maximumBodySize }
}
