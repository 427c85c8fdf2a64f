/// Recursive descent over OQL tokens: `or := and (OR and)*`, `and := primary (AND primary)*`,
/// `primary := '(' or ')' | field op value`, then an optional `ORDER BY field [ASC|DESC]`.
struct OQLParser {
    var tokens: [OQLToken]
    var position = 0

    init(tokens: [OQLToken]) { self.tokens = tokens }

    mutating func parseQuery() throws -> (OQLQuery.Expression?, (field: String, descending: Bool)?) {
        var expression: OQLQuery.Expression?
        if position < tokens.count, !isKeyword("ORDER") {
            expression = try parseOr()
        }
        var order: (field: String, descending: Bool)?
        if isKeyword("ORDER") {
            position += 1
            guard isKeyword("BY") else { throw OQLSyntaxError(message: "expected BY after ORDER") }
            position += 1
            let field = try word("a field name after ORDER BY")
            var descending = false
            if isKeyword("DESC") {
                descending = true
                position += 1
            } else if isKeyword("ASC") {
                position += 1
            }
            order = (field, descending)
        }
        guard position == tokens.count else {
            throw OQLSyntaxError(message: "unexpected \(describe(tokens[position]))")
        }
        return (expression, order)
    }

    private mutating func parseOr() throws -> OQLQuery.Expression {
        var left = try parseAnd()
        while isKeyword("OR") {
            position += 1
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws -> OQLQuery.Expression {
        var left = try parsePrimary()
        while isKeyword("AND") {
            position += 1
            left = .and(left, try parsePrimary())
        }
        return left
    }

    private mutating func parsePrimary() throws -> OQLQuery.Expression {
        if peek == .symbol("(") {
            position += 1
            let inner = try parseOr()
            try expect(.symbol(")"))
            return inner
        }
        let field = try word("a field name")
        guard let token = peek else { throw OQLSyntaxError(message: "expected an operator after \(field)") }
        position += 1
        let op: OQLQuery.Operator
        switch token {
        case .symbol(let symbol):
            guard let parsed = OQLQuery.Operator(rawValue: symbol) else {
                throw OQLSyntaxError(message: "unexpected \(symbol) after \(field)")
            }
            op = parsed
        case .word(let word) where word.uppercased() == "LIKE": op = .like
        case .word(let word) where word.uppercased() == "IN": op = .inList
        default: throw OQLSyntaxError(message: "expected an operator after \(field), found \(describe(token))")
        }
        if op == .inList || peek == .symbol("[") {
            // `field = [..]` reads as IN; `!=` and LIKE keep their meaning against each element.
            let listOperator: OQLQuery.Operator = op == .notEqual || op == .like ? op : .inList
            return .comparison(field: field, op: listOperator, values: try list())
        }
        return .comparison(field: field, op: op, values: [try value()])
    }

    private mutating func list() throws -> [String] {
        guard let open = peek, open == .symbol("[") || open == .symbol("(") else {
            throw OQLSyntaxError(message: "expected a list in [ ]")
        }
        position += 1
        let close: OQLToken = open == .symbol("[") ? .symbol("]") : .symbol(")")
        var values: [String] = []
        while peek != close {
            values.append(try value())
            if peek == .symbol(",") { position += 1 }
        }
        try expect(close)
        return values
    }

    private mutating func value() throws -> String {
        switch peek {
        case .string(let value)?:
            position += 1
            return value
        case .word(let value)? where value.first.map { $0.isNumber || $0 == "-" } == true:
            position += 1
            return value
        case let token?:
            throw OQLSyntaxError(message: "expected a quoted value, found \(describe(token))")
        case nil:
            throw OQLSyntaxError(message: "expected a value at the end of the filter")
        }
    }

    private mutating func word(_ what: String) throws -> String {
        guard case .word(let word)? = peek, !isReserved(word) else {
            throw OQLSyntaxError(message: "expected \(what)\(peek.map { ", found \(describe($0))" } ?? "")")
        }
        position += 1
        return word
    }

    private mutating func expect(_ token: OQLToken) throws {
        guard peek == token else { throw OQLSyntaxError(message: "expected \(describe(token))") }
        position += 1
    }

    private var peek: OQLToken? { position < tokens.count ? tokens[position] : nil }

    private func isKeyword(_ keyword: String) -> Bool {
        if case .word(let word)? = peek { return word.uppercased() == keyword }
        return false
    }

    private func isReserved(_ word: String) -> Bool {
        ["AND", "OR", "LIKE", "IN", "ORDER", "BY"].contains(word.uppercased())
    }

    private func describe(_ token: OQLToken) -> String {
        switch token {
        case .word(let word): "'\(word)'"
        case .string(let string): "'\(string)'"
        case .symbol(let symbol): "'\(symbol)'"
        }
    }
}
