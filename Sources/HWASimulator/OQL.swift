import Foundation
import ResyncCore

/// The subset of HWA's Orchestration Query Language the simulator understands: `=`, `!=`, `LIKE` (`@`, `%`, `*`
/// match any run of characters), `IN [..]`/`IN (..)`, `AND`, `OR`, parentheses, `<`, `>`, `<=`, `>=` (instants
/// compare as times) and a trailing `ORDER BY field [ASC|DESC]`.
public struct OQLQuery: Sendable {
    indirect enum Expression: Sendable {
        case and(Expression, Expression)
        case or(Expression, Expression)
        case comparison(field: String, op: Operator, values: [String])
    }

    enum Operator: String, Sendable {
        case equal = "=", notEqual = "!=", like = "LIKE", inList = "IN"
        case less = "<", greater = ">", lessOrEqual = "<=", greaterOrEqual = ">="
    }

    let expression: Expression?
    let orderBy: (field: String, descending: Bool)?

    /// Parses `text`; throws `OQLSyntaxError` with a message in the spirit of HWA's `OQL_FILTER_SYNTAX_ERROR`.
    public init(_ text: String) throws {
        var parser = OQLParser(tokens: try OQLLexer.tokens(text))
        (expression, orderBy) = try parser.parseQuery()
    }

    /// True when `object` (a JSON rendering of a plan object) satisfies the filter.
    public func matches(_ object: JSONValue) -> Bool {
        guard let expression else { return true }
        return Self.evaluate(expression, object)
    }

    /// Applies `ORDER BY`, if any.
    public func sorted(_ objects: [JSONValue]) -> [JSONValue] {
        guard let orderBy else { return objects }
        let path = orderBy.field.split(separator: ".")
        let sorted = objects.sorted { left, right in
            let l = left.values(at: path).first?.stringValue ?? ""
            let r = right.values(at: path).first?.stringValue ?? ""
            return l < r
        }
        return orderBy.descending ? sorted.reversed() : sorted
    }

    private static func evaluate(_ expression: Expression, _ object: JSONValue) -> Bool {
        switch expression {
        case .and(let left, let right): return evaluate(left, object) && evaluate(right, object)
        case .or(let left, let right): return evaluate(left, object) || evaluate(right, object)
        case .comparison(let field, let op, let values):
            let actual = object.values(at: field.split(separator: ".")).compactMap(\.stringValue)
            switch op {
            case .equal: return actual.contains { values.contains($0) }
            case .notEqual: return !actual.contains { values.contains($0) }
            case .inList: return actual.contains { values.contains($0) }
            case .like: return actual.contains { value in values.contains { OQLPattern.matches(value, pattern: $0) } }
            case .less, .greater, .lessOrEqual, .greaterOrEqual:
                guard let bound = values.first else { return false }
                return actual.contains { compare($0, bound, op) }
            }
        }
    }

    private static func compare(_ value: String, _ bound: String, _ op: Operator) -> Bool {
        let order: ComparisonResult
        if let left = OQLInstant.parse(value), let right = OQLInstant.parse(bound) {
            order = left == right ? .orderedSame : (left < right ? .orderedAscending : .orderedDescending)
        } else if let left = Double(value), let right = Double(bound) {
            order = left == right ? .orderedSame : (left < right ? .orderedAscending : .orderedDescending)
        } else {
            order = value == bound ? .orderedSame : (value < bound ? .orderedAscending : .orderedDescending)
        }
        switch op {
        case .less: return order == .orderedAscending
        case .greater: return order == .orderedDescending
        case .lessOrEqual: return order != .orderedDescending
        case .greaterOrEqual: return order != .orderedAscending
        default: return false
        }
    }
}

public struct OQLSyntaxError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "OQL_FILTER_SYNTAX_ERROR: \(message)" }
}

enum OQLInstant {
    static func parse(_ text: String) -> Date? {
        guard text.count >= 20, text.contains("T") else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}

/// HWA wildcards: `@` (conman), `%` (SQL) and `*` all match any run of characters; `?` one character.
public enum OQLPattern {
    public static func matches(_ value: String, pattern: String) -> Bool {
        let v = Array(value)
        let p = Array(pattern)
        var vi = 0
        var pi = 0
        var star = -1
        var mark = 0
        while vi < v.count {
            if pi < p.count && (p[pi] == "?" || (!isWildcard(p[pi]) && p[pi] == v[vi])) {
                vi += 1
                pi += 1
            } else if pi < p.count && isWildcard(p[pi]) {
                star = pi
                mark = vi
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                vi = mark
            } else {
                return false
            }
        }
        while pi < p.count && isWildcard(p[pi]) { pi += 1 }
        return pi == p.count
    }

    static func isWildcard(_ character: Character) -> Bool {
        character == "@" || character == "%" || character == "*"
    }
}

enum OQLToken: Equatable, Sendable {
    case word(String)
    case string(String)
    case symbol(String)
}

enum OQLLexer {
    static func tokens(_ text: String) throws -> [OQLToken] {
        var tokens: [OQLToken] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace {
                index = text.index(after: index)
            } else if character == "'" {
                var value = ""
                index = text.index(after: index)
                while index < text.endIndex, text[index] != "'" {
                    value.append(text[index])
                    index = text.index(after: index)
                }
                guard index < text.endIndex else { throw OQLSyntaxError(message: "unterminated string literal") }
                index = text.index(after: index)
                tokens.append(.string(value))
            } else if "()[],".contains(character) {
                tokens.append(.symbol(String(character)))
                index = text.index(after: index)
            } else if "=!<>".contains(character) {
                var symbol = String(character)
                let next = text.index(after: index)
                if next < text.endIndex, text[next] == "=" {
                    symbol.append("=")
                    index = text.index(after: next)
                } else {
                    index = next
                }
                guard symbol != "!" else { throw OQLSyntaxError(message: "'!' must be followed by '='") }
                tokens.append(.symbol(symbol))
            } else {
                var word = ""
                while index < text.endIndex, !text[index].isWhitespace, !"()[],=!<>'".contains(text[index]) {
                    word.append(text[index])
                    index = text.index(after: index)
                }
                tokens.append(.word(word))
            }
        }
        return tokens
    }
}
