import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ResyncCore
import ServiceLifecycle

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
}

extension DashboardSnapshot: ResponseEncodable {}

/// `GET /dashboard` (the page), `GET /dashboard/events` (its live stream) and `GET /api/dashboard` (the snapshot as JSON).
struct DashboardRoutes: Sendable {
    let hub: DashboardHub
    let renderer: DashboardRenderer
    let defaultLanguage: Language

    func register(on router: Router<AppRequestContext>) {
        router.get("/dashboard") { request, context in try await page(request, context) }
        router.get("/dashboard/events") { request, context in try await events(request, context) }
        router.get("/api/dashboard") { _, _ in await hub.currentFrame.snapshot }
    }

    func page(_ request: Request, _ context: AppRequestContext) async throws -> HTMLPage {
        let language = UILanguage.of(request, default: defaultLanguage)
        let frame = await hub.currentFrame
        var chrome = PageChrome(language: language, identity: context.identity)
        chrome.isDashboard = true
        let content = frame.fragments[language] ?? renderer.fragment(for: frame.snapshot, language: language)
        struct Page {
            var chrome: PageChrome
            var content: String
            var eventID: String
        }
        return HTMLPage(
            html: renderer.templates.render(
                Page(chrome: chrome, content: content, eventID: frame.id), template: "dashboard"))
    }

    func events(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = UILanguage.of(request, default: defaultLanguage)
        guard let subscription = await hub.subscribe() else {
            throw HTTPError(
                .serviceUnavailable, headers: [.retryAfter: "30"],
                message: "too many dashboard streams are open; try again shortly")
        }
        let lastEventID = request.headers[.lastEventID]
        let hub = self.hub
        let renderer = self.renderer
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                await SSEStream.run(
                    subscription: subscription, lastEventID: lastEventID, language: language, renderer: renderer,
                    writer: &writer)
                await hub.unsubscribe(subscription.id)
                try? await writer.finish(nil)
            })
    }
}

/// Server-Sent Events framing and the per-client write loop.
enum SSEStream {
    static let retryMilliseconds = 5_000

    /// `id:`, `event:` and one `data:` line per line of `data` (a blank line ends the event).
    static func event(id: String?, name: String, data: String) -> String {
        var text = ""
        if let id { text += "id: \(id)\n" }
        text += "event: \(name)\n"
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            text += "data: \(line.replacingOccurrences(of: "\r", with: ""))\n"
        }
        return text + "\n"
    }

    static func frameEvent(_ frame: DashboardFrame, language: Language, renderer: DashboardRenderer) -> String {
        let html = frame.fragments[language] ?? renderer.fragment(for: frame.snapshot, language: language)
        return event(id: frame.id, name: "snapshot", data: html)
    }

    /// Writes the current frame (unless the client already has it), then every event, until the hub ends the
    /// stream or drops the client, the client goes away, or the server shuts down gracefully.
    static func run(
        subscription: DashboardHub.Subscription, lastEventID: String?, language: Language, renderer: DashboardRenderer,
        writer: inout any ResponseBodyWriter
    ) async {
        do {
            var opening = "retry: \(retryMilliseconds)\n\n"
            if lastEventID != subscription.current.id {
                opening += frameEvent(subscription.current, language: language, renderer: renderer)
            }
            try await writer.write(ByteBuffer(string: opening))
            // A client the hub drops (its buffer filled up) sees its stream end here. A write already stuck on a
            // full socket stays stuck only for this client: the hub no longer feeds it and never waits for it.
            for await event in subscription.events.cancelOnGracefulShutdown() {
                switch event {
                case .frame(let frame):
                    try await writer.write(
                        ByteBuffer(string: frameEvent(frame, language: language, renderer: renderer)))
                case .heartbeat:
                    try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                }
            }
        } catch {
            // The client went away or was dropped; nothing to tell it.
        }
    }
}
