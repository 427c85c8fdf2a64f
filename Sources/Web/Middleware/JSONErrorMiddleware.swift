import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The JSON body of every 4xx/5xx response: `{"error": {"status": 413, "message": "…", "requestId": "…"}}`.
struct ErrorBody: Codable, Sendable {
    struct Detail: Codable, Sendable {
        var status: Int
        var message: String
        var requestId: String
    }

    var error: Detail
}

/// Turns every error into a JSON error response. Messages of `HTTPError`s are shown (they are written
/// for the client); anything else becomes a generic 500 and is logged, so internals never leak.
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            // The error's own headers (WWW-Authenticate, Retry-After…) are part of the answer; the body is ours.
            var response = Self.response(
                status: error.status, message: error.body ?? error.status.reasonPhrase, context: context)
            for field in error.headers where field.name != .contentType && field.name != .contentLength {
                response.headers.append(field)
            }
            return response
        } catch let error as any HTTPResponseError {
            return Self.response(status: error.status, message: error.status.reasonPhrase, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return Self.response(
                status: .internalServerError,
                message: "internal error; quote request id \(context.requestID) when reporting it",
                context: context)
        }
    }

    static func response(status: HTTPResponse.Status, message: String, context: Context) -> Response {
        let body = ErrorBody(error: .init(status: status.code, message: message, requestId: context.requestID))
        let data = (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
