import Hummingbird
import NIOCore

/// `GET /static/{file}`: the stylesheet and scripts shipped in Resources (no CDN), with ETags.
struct DashboardStaticRoutes: Sendable {
    let templates: WebTemplates

    func register(on router: Router<AppRequestContext>) {
        router.get("/static/:file") { request, context in
            guard let name = context.parameters.get("file"), let file = templates.staticFiles[name] else {
                throw HTTPError(.notFound)
            }
            if request.headers[.ifNoneMatch] == file.etag {
                return Response(status: .notModified, headers: [.eTag: file.etag])
            }
            return Response(
                status: .ok,
                headers: [.contentType: file.contentType, .eTag: file.etag, .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
    }
}
