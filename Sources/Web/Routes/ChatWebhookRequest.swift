import ChatPlatforms
import HTTPTypes
import Hummingbird

extension RawChatRequest {
    /// A chat platform's webhook as its adapter verifies and parses it: the whole body (up to the upload limit)
    /// and the headers by lower-case name, the first of a repeated name winning.
    ///
    /// The headers are copied with a loop over `HTTPFields` written here, where it is compiled for that type:
    /// handed to `ChatPlatforms` as a generic sequence instead, each header went through the run time's generic
    /// look-ups, about 1.6 % of the server's CPU per Slack command (`perf`, 2026-12-08).
    static func collecting(endpoint: String, from request: Request, context: AppRequestContext) async throws
        -> RawChatRequest
    {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        var headers: [String: String] = [:]
        headers.reserveCapacity(request.headers.count)
        for field in request.headers where headers[field.name.canonicalName] == nil {
            headers[field.name.canonicalName] = field.value
        }
        return RawChatRequest(endpoint: endpoint, lowercasedHeaders: headers, body: Array(buffer.readableBytesView))
    }
}
