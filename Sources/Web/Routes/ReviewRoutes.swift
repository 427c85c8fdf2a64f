import Foundation
import HTTPTypes
import Hummingbird
import ResyncCore

/// `/revisao`: the human review of memories, server-rendered, working without JavaScript. Actions are plain form
/// posts (CSRF-checked by `CSRFMiddleware`); reject and delete first show a confirmation page.
struct ReviewRoutes: Sendable {
    let curator: MemoryCurator
    let templates: WebTemplates
    let defaultLanguage: Language

    func register(on router: Router<AppRequestContext>) {
        router.get("/revisao") { request, context in try await page(request, context) }
        router.post("/revisao/:id/:action") { request, context in try await act(request, context) }
    }

    func page(_ request: Request, _ context: AppRequestContext) async throws -> HTMLPage {
        let language = UILanguage.of(request, default: defaultLanguage)
        var chrome = PageChrome(language: language, identity: context.identity)
        chrome.isReview = true
        let query = ReviewQuery(request.uri.queryParameters)
        let memories = try await curator.list(query)
        var logs: [String: [AuditLogEntry]] = [:]
        for memory in memories { logs[memory.id] = try await curator.auditLog(id: memory.id) }
        var raw: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { raw[String(key)] = String(value) }
        let notice = raw["done"].map { _ in ReviewLabels.of(language).done }
        let view = ReviewView(
            chrome: chrome, query: query, raw: raw, counts: try await curator.counts(query), memories: memories,
            logs: logs, notice: notice)
        return HTMLPage(html: templates.render(view, template: "review"))
    }

    func act(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        if context.parameters.get("action") == "edit" { return try await edit(request, context) }
        guard let action = context.parameters.get("action").flatMap(ReviewAction.init(rawValue:)) else {
            throw HTTPError(.notFound, message: "unknown review action; use approve, reject, restore or delete")
        }
        let form = try await Self.form(request, context)
        let back = Self.safeBack(form["back"])
        if action.isDestructive && form["confirmed"] != "yes" {
            return try await confirmation(action: action, id: id, back: back, request: request, context: context)
        }
        try await MemoryAPIRoutes.mapping {
            try await curator.perform(action, id: id, actor: MemoryAPIRoutes.actor(context), reason: form["reason"])
        }
        return Self.redirect(to: back)
    }

    func edit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let form = try await Self.form(request, context)
        try await MemoryAPIRoutes.mapping {
            try await curator.edit(
                id: id, text: form["text"] ?? "", actor: MemoryAPIRoutes.actor(context), reason: form["reason"])
        }
        return Self.redirect(to: Self.safeBack(form["back"]))
    }

    func confirmation(
        action: ReviewAction, id: String, back: String, request: Request, context: AppRequestContext
    ) async throws -> Response {
        let current = try await MemoryAPIRoutes.mapping { try await curator.memory(id: id) }
        let language = UILanguage.of(request, default: defaultLanguage)
        var chrome = PageChrome(language: language, identity: context.identity)
        chrome.isReview = true
        let labels = ReviewLabels.of(language)
        let view = ReviewConfirmView(
            chrome: chrome, labels: labels, id: id, action: action.rawValue,
            actionLabel: action == .reject ? labels.reject : labels.delete,
            question: action == .reject ? labels.confirmReject : labels.confirmDelete, text: current.text, back: back)
        return try HTMLPage(html: templates.render(view, template: "review-confirm")).response(
            from: request, context: context)
    }

    static func form(_ request: Request, _ context: AppRequestContext) async throws -> FormFields {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        return FormFields(String(buffer: body))
    }

    /// Only back to the review page itself, never to another site.
    static func safeBack(_ back: String?) -> String {
        guard let back, back == "/revisao" || back.hasPrefix("/revisao?") else { return "/revisao?done=1" }
        return back + (back.contains("?") ? "&" : "?") + "done=1"
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
