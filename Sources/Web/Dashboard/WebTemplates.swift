import Foundation
import Mustache

/// The templates and static files shipped in the Web module's resources, loaded once at start.
public struct WebTemplates: Sendable {
    public enum LoadError: Error, CustomStringConvertible {
        case missingResources(String)
        case unreadable(String)

        public var description: String {
            switch self {
            case .missingResources(let path): "web resources not found at \(path); the build is incomplete"
            case .unreadable(let detail): "cannot read web resources: \(detail)"
            }
        }
    }

    public struct StaticFile: Sendable {
        public var bytes: [UInt8]
        public var contentType: String
        /// Strong validator for conditional GETs.
        public var etag: String
    }

    public let library: MustacheLibrary
    public let staticFiles: [String: StaticFile]
    public let openAPIDocument: [UInt8]

    public static func load() async throws -> WebTemplates {
        // `.copy("Resources")` puts the folder inside the bundle; Foundation on Linux reports the bundle's own
        // `Resources` as resourceURL, Darwin the bundle root, so look in both.
        let bundle = Bundle.module
        let candidates = [
            bundle.resourceURL, bundle.resourceURL?.appendingPathComponent("Resources"),
            bundle.bundleURL.appendingPathComponent("Resources"),
        ].compactMap { $0 }
        guard
            let base = candidates.first(where: {
                FileManager.default.fileExists(atPath: $0.appendingPathComponent("templates").path)
            })
        else {
            throw LoadError.missingResources(bundle.bundleURL.path)
        }
        do {
            let library = try await MustacheLibrary(directory: base.appendingPathComponent("templates").path)
            var files: [String: StaticFile] = [:]
            let staticFolder = base.appendingPathComponent("static")
            for name in try FileManager.default.contentsOfDirectory(atPath: staticFolder.path) {
                let bytes = try [UInt8](Data(contentsOf: staticFolder.appendingPathComponent(name)))
                files[name] = StaticFile(
                    bytes: bytes, contentType: contentType(of: name),
                    etag: "\"\(Tokens.sha256(String(decoding: bytes, as: UTF8.self)).prefix(16))\"")
            }
            let openAPI = try [UInt8](Data(contentsOf: base.appendingPathComponent("openapi.json")))
            return WebTemplates(library: library, staticFiles: files, openAPIDocument: openAPI)
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError.unreadable("\(error)")
        }
    }

    /// Renders `template` with `object`; a missing template is a build defect, shown as such.
    public func render(_ object: Any, template: String) -> String {
        library.render(object, withTemplate: template) ?? "<!doctype html><p>template \(template) missing</p>"
    }

    static func contentType(of name: String) -> String {
        if name.hasSuffix(".css") { return "text/css; charset=utf-8" }
        if name.hasSuffix(".js") { return "text/javascript; charset=utf-8" }
        if name.hasSuffix(".svg") { return "image/svg+xml" }
        if name.hasSuffix(".png") { return "image/png" }
        return "application/octet-stream"
    }
}
