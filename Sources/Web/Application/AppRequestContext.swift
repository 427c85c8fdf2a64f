import Hummingbird
import Logging

/// Per-request state shared by every route.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The id echoed in `X-Request-Id` and attached to every log line of the request.
    public var requestID: String

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.requestID = ""
    }

    /// Request bodies are capped at 1 MiB everywhere; webhooks and the API never need more.
    public var maxUploadSize: Int { BodyLimitMiddleware<Self>.maximumBodySize }
}
