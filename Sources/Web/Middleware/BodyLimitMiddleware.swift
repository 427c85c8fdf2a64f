import HTTPTypes
import Hummingbird

/// Refuses bodies over 1 MiB with 413 before reading them when the length is declared; routes that
/// read a body collect it with the same limit, which catches chunked uploads.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    static var maximumBodySize: Int { 1 << 20 }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > Self.maximumBodySize {
            throw HTTPError(.contentTooLarge, message: "request body over 1 MiB")
        }
        return try await next(request, context)
    }
}
