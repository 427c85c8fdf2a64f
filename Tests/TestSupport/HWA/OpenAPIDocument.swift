import Foundation
import HWASimulator
import ResyncCore

/// The HWA REST API V2 OpenAPI document from `shared/reference/`, found by walking up from this file.
public struct OpenAPIDocument: @unchecked Sendable {
    public let root: [String: Any]

    /// Where the document is, or nil when this checkout has no `shared/reference` beside or above it.
    public static var location: URL? {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared/reference/hwa-rest-api-v2.openapi.json")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    public static func load() throws -> OpenAPIDocument? {
        guard let location else { return nil }
        let data = try Data(contentsOf: location)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return OpenAPIDocument(root: root)
    }

    /// Every (METHOD, path) the document declares.
    public var operations: [(method: String, path: String)] {
        let paths = root["paths"] as? [String: Any] ?? [:]
        return paths.keys.sorted().flatMap { path in
            let item = paths[path] as? [String: Any] ?? [:]
            return ["get", "put", "post", "patch", "delete", "head", "options"].filter { item[$0] != nil }.map {
                (method: $0.uppercased(), path: path)
            }
        }
    }

    /// The schema of the 200 JSON answer of `GET path`.
    public func responseSchema(get path: String) -> [String: Any]? {
        let paths = root["paths"] as? [String: Any]
        let operation = (paths?[path] as? [String: Any])?["get"] as? [String: Any]
        let ok = (operation?["responses"] as? [String: Any])?["200"] as? [String: Any]
        let content = ok?["content"] as? [String: Any]
        return (content?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
    }

    public func contentTypes(get path: String) -> [String] {
        let paths = root["paths"] as? [String: Any]
        let operation = (paths?[path] as? [String: Any])?["get"] as? [String: Any]
        let ok = (operation?["responses"] as? [String: Any])?["200"] as? [String: Any]
        return (ok?["content"] as? [String: Any])?.keys.sorted() ?? []
    }

    func resolve(_ reference: String) -> [String: Any]? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any? = root
        for part in reference.dropFirst(2).split(separator: "/") {
            node = (node as? [String: Any])?[String(part)]
        }
        return node as? [String: Any]
    }

    /// Validates `value` against `schema`; returns one line per violation.
    /// Covers the keywords the document uses for responses: `$ref`, `type`, `required`, `properties`,
    /// `additionalProperties`, `items`, `enum`, `allOf`, `oneOf`/`anyOf` (at least one must match: the HWA
    /// variants overlap, so "exactly one" would reject valid payloads), `format: date-time` and `pattern`.
    public func validate(_ value: JSONValue, against schema: [String: Any], at path: String = "$") -> [String] {
        if let reference = schema["$ref"] as? String {
            guard let target = resolve(reference) else { return ["\(path): unresolvable \(reference)"] }
            return validate(value, against: target, at: path)
        }
        var problems: [String] = []
        if let types = typeNames(schema["type"]), !types.contains(where: { matches(value, type: $0) }) {
            return ["\(path): expected \(types.joined(separator: "|")), found \(describe(value))"]
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == value.stringValue }) {
            problems.append("\(path): '\(value.stringValue ?? "?")' is not one of the enum values")
        }
        if case .string(let string) = value {
            if schema["format"] as? String == "date-time", !isDateTime(string) {
                problems.append("\(path): '\(string)' is not a date-time")
            }
            if let pattern = schema["pattern"] as? String,
                let regex = try? NSRegularExpression(pattern: pattern),
                regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) == nil
            {
                problems.append("\(path): '\(string)' does not match \(pattern)")
            }
        }
        if case .object(let object) = value {
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                problems.append("\(path): missing required '\(name)'")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (name, element) in object {
                if let propertySchema = properties[name] as? [String: Any] {
                    problems += validate(element, against: propertySchema, at: "\(path).\(name)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    problems += validate(element, against: additional, at: "\(path).\(name)")
                }
            }
        }
        if case .array(let array) = value, let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() {
                problems += validate(element, against: items, at: "\(path)[\(index)]")
            }
        }
        for part in schema["allOf"] as? [[String: Any]] ?? [] {
            problems += validate(value, against: part, at: path)
        }
        for key in ["oneOf", "anyOf"] {
            guard let variants = schema[key] as? [[String: Any]], !variants.isEmpty else { continue }
            if !variants.contains(where: { validate(value, against: $0, at: path).isEmpty }) {
                problems.append("\(path): matches none of the \(key) variants")
            }
        }
        return problems
    }

    private func typeNames(_ raw: Any?) -> [String]? {
        if let single = raw as? String { return [single] }
        return raw as? [String]
    }

    private func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null):
            return true
        case ("integer", .int), ("number", .int), ("number", .double):
            return true
        case ("integer", .double(let number)):
            return number.rounded() == number
        case ("object", _), ("array", _), ("string", _), ("boolean", _), ("null", _), ("integer", _), ("number", _):
            return false
        default:
            return true
        }
    }

    private func isDateTime(_ text: String) -> Bool {
        (try? Date(text, strategy: .iso8601)) != nil
            || (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) != nil
    }

    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        case .bool: "boolean"
        case .int, .double: "number"
        }
    }
}
