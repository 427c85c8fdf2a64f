import Foundation
import Hummingbird
import NIOCore
import ResyncCore

/// `GET /openapi.json` (the document in Resources) and `GET /docs` (the same, rendered on the server, no CDN).
struct DocsRoutes: Sendable {
    let templates: WebTemplates
    let defaultLanguage: Language

    func register(on router: Router<AppRequestContext>) {
        router.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(bytes: templates.openAPIDocument)))
        }
        router.get("/docs") { request, context in
            let language = UILanguage.of(request, default: defaultLanguage)
            var chrome = PageChrome(language: language, identity: context.identity)
            chrome.isDocs = true
            let view = try OpenAPIView(document: templates.openAPIDocument, chrome: chrome)
            return HTMLPage(html: templates.render(view, template: "docs"))
        }
    }
}

/// The OpenAPI document flattened into what the docs template prints, grouped by tag.
struct OpenAPIView {
    struct Parameter {
        var name: String
        var location: String
        var description: String
        var required: Bool
    }

    struct ResponseItem {
        var status: String
        var description: String
    }

    struct Operation {
        var method: String
        var methodClass: String
        var path: String
        var anchor: String
        var summary: String
        var description: String?
        var secured: Bool
        var security: String
        var parameters: [Parameter]
        var hasParameters: Bool
        var requestBody: String?
        var responses: [ResponseItem]
    }

    struct Group {
        var tag: String
        var operations: [Operation]
    }

    var chrome: PageChrome
    var title: String
    var version: String
    var description: String
    var openapi: String
    var groups: [Group]

    static let methods = ["get", "post", "put", "patch", "delete"]

    init(document: [UInt8], chrome: PageChrome) throws {
        guard let root = try JSONSerialization.jsonObject(with: Data(document)) as? [String: Any],
            let paths = root["paths"] as? [String: Any]
        else { throw HTTPError(.internalServerError, message: "openapi.json is not an OpenAPI document") }
        let info = root["info"] as? [String: Any] ?? [:]
        self.chrome = chrome
        title = info["title"] as? String ?? "API"
        version = info["version"] as? String ?? ""
        description = info["description"] as? String ?? ""
        openapi = root["openapi"] as? String ?? ""
        var byTag: [String: [Operation]] = [:]
        var tagOrder: [String] = (root["tags"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        for path in paths.keys.sorted() {
            guard let item = paths[path] as? [String: Any] else { continue }
            for method in Self.methods {
                guard let operation = item[method] as? [String: Any] else { continue }
                let tag = (operation["tags"] as? [String])?.first ?? "other"
                if !tagOrder.contains(tag) { tagOrder.append(tag) }
                byTag[tag, default: []].append(Self.operation(method: method, path: path, operation))
            }
        }
        groups = tagOrder.compactMap { tag in byTag[tag].map { Group(tag: tag, operations: $0) } }
    }

    static func operation(method: String, path: String, _ operation: [String: Any]) -> Operation {
        let parameters = (operation["parameters"] as? [[String: Any]] ?? []).map { parameter in
            Parameter(
                name: parameter["name"] as? String ?? "", location: parameter["in"] as? String ?? "",
                description: parameter["description"] as? String ?? "",
                required: parameter["required"] as? Bool ?? false)
        }
        let responses = (operation["responses"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }.map {
            status, value in
            ResponseItem(status: status, description: (value as? [String: Any])?["description"] as? String ?? "")
        }
        let security = (operation["security"] as? [[String: Any]])?.flatMap(\.keys) ?? []
        let body = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any]
        return Operation(
            method: method.uppercased(), methodClass: method, path: path,
            anchor: "\(method)-\(path)".map { $0.isLetter || $0.isNumber ? $0 : "-" }.map(String.init).joined(),
            summary: operation["summary"] as? String ?? "", description: operation["description"] as? String,
            secured: !security.isEmpty, security: security.sorted().joined(separator: ", "), parameters: parameters,
            hasParameters: !parameters.isEmpty, requestBody: body?.keys.sorted().joined(separator: ", "),
            responses: responses)
    }
}
