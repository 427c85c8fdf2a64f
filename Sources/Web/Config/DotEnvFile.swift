/// Parses a `.env` file in the syntax python-dotenv reads, which the original Python product's files use.
///
/// - Lines end in `\n`, `\r\n` or `\r` (files saved on Windows read like any other); a leading UTF-8 byte
///   order mark is ignored.
/// - Blank lines and lines whose first non-blank character is `#` are skipped.
/// - `NAME=value`, optionally preceded by `export `. Names are ASCII letters, digits and `_`, not starting
///   with a digit; spaces around `=` are allowed.
/// - `'single quoted'` values are taken literally; `"double quoted"` values understand `\n`, `\r`, `\t`,
///   `\"`, `\'`, `\\` (any other backslash is kept as written). Both may span several lines. After the
///   closing quote only spaces and a `# comment` may follow.
/// - Unquoted values end at the line's end or at a `#` preceded by a space or tab, and are trimmed. A `#`
///   right after `=` belongs to the value (`SLACK_OPS_CHANNEL=#ops`).
/// - `$VAR` is not expanded.
/// - When a name appears twice, the later value wins.
///
/// A line that is none of these is an error that gives its number only: the line may hold a secret.
public enum DotEnvFile {
    /// One assignment, with the line it starts on.
    public struct Entry: Hashable, Sendable {
        public var name: String
        public var value: String
        public var line: Int

        public init(name: String, value: String, line: Int) {
            self.name = name
            self.value = value
            self.line = line
        }
    }

    /// A line that is not understood. The message says what is expected and never quotes the line.
    public enum SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
        /// No `=` after the name.
        case missingEquals(line: Int)
        /// The name is empty or has characters other than letters, digits and `_`.
        case badName(line: Int)
        /// A quoted value whose closing quote never comes.
        case unterminatedQuote(line: Int)
        /// Something other than a comment after a closing quote.
        case textAfterQuote(line: Int)

        public var line: Int {
            switch self {
            case .missingEquals(let line), .badName(let line), .unterminatedQuote(let line),
                .textAfterQuote(let line):
                line
            }
        }

        public var description: String {
            switch self {
            case .missingEquals(let line):
                "line \(line): expected NAME=value; start comments with #"
            case .badName(let line):
                "line \(line): the variable name must be letters, digits and _ and not start with a digit"
            case .unterminatedQuote(let line):
                "line \(line): the quoted value is never closed; add the closing quote or escape it with \\"
            case .textAfterQuote(let line):
                "line \(line): only a # comment may follow a quoted value; quote the whole value"
            }
        }
    }

    /// The file's assignments in order, and every line that could not be read.
    public static func parse(_ text: String) -> (entries: [Entry], errors: [SyntaxError]) {
        var scanner = Scanner(text)
        var entries: [Entry] = []
        var errors: [SyntaxError] = []
        while !scanner.atEnd {
            scanner.skipBlanks()
            guard let next = scanner.peek else { break }
            if next == "\n" || next == "#" {
                scanner.skipLine()
                continue
            }
            do throws(SyntaxError) {
                entries.append(try scanner.assignment())
            } catch {
                errors.append(error)
                // An unclosed quote has read to the end of the file; any other error is confined to its line.
                scanner.skipLine()
            }
        }
        return (entries, errors)
    }
}

extension DotEnvFile {
    /// Walks the file's Unicode scalars with every line ending already turned into `\n`.
    fileprivate struct Scanner {
        private let scalars: [Unicode.Scalar]
        private var index = 0
        private(set) var line = 1

        init(_ text: String) {
            // "\r\n" is a single Character in Swift, so line endings are normalised on scalars, not characters.
            var scalars: [Unicode.Scalar] = []
            scalars.reserveCapacity(text.unicodeScalars.count)
            var previousWasCR = false
            for scalar in text.unicodeScalars {
                if scalar == "\r" {
                    scalars.append("\n")
                    previousWasCR = true
                    continue
                }
                if scalar == "\n" && previousWasCR {
                    previousWasCR = false
                    continue
                }
                previousWasCR = false
                scalars.append(scalar)
            }
            if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
            self.scalars = scalars
        }

        var atEnd: Bool { index >= scalars.count }
        var peek: Unicode.Scalar? { atEnd ? nil : scalars[index] }

        mutating func advance() -> Unicode.Scalar? {
            guard let scalar = peek else { return nil }
            index += 1
            if scalar == "\n" { line += 1 }
            return scalar
        }

        static func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }

        mutating func skipBlanks() {
            while let scalar = peek, Self.isBlank(scalar) { _ = advance() }
        }

        /// Moves past the end of the current line.
        mutating func skipLine() {
            while let scalar = advance(), scalar != "\n" {}
        }

        /// `[export ]NAME = value [# comment]`, the scanner at the line's first non-blank character.
        mutating func assignment() throws(SyntaxError) -> Entry {
            let start = line
            var name = word()
            if name == "export", let next = peek, Self.isBlank(next) {
                skipBlanks()
                name = word()
            }
            skipBlanks()
            guard peek == "=" else { throw .missingEquals(line: start) }
            guard Self.isValidName(name) else { throw .badName(line: start) }
            _ = advance()
            skipBlanks()
            let value: String
            switch peek {
            case "'":
                value = try quoted(closing: "'", escapes: false, startLine: start)
                try endOfQuotedValue(startLine: start)
            case "\"":
                value = try quoted(closing: "\"", escapes: true, startLine: start)
                try endOfQuotedValue(startLine: start)
            default:
                value = unquoted()
            }
            return Entry(name: name, value: value, line: start)
        }

        /// Characters up to a blank, `=` or the end of the line.
        mutating func word() -> String {
            var word = String.UnicodeScalarView()
            while let scalar = peek, !Self.isBlank(scalar), scalar != "=", scalar != "\n" {
                word.append(scalar)
                _ = advance()
            }
            return String(word)
        }

        static func isValidName(_ name: String) -> Bool {
            guard let first = name.unicodeScalars.first, !isDigit(first) else { return false }
            return name.unicodeScalars.allSatisfy { isLetter($0) || isDigit($0) || $0 == "_" }
        }

        static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

        static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            (scalar >= "A" && scalar <= "Z") || (scalar >= "a" && scalar <= "z")
        }

        /// The rest of the line, cut at a comment (`#` after a blank) and trimmed.
        mutating func unquoted() -> String {
            var value = String.UnicodeScalarView()
            var previousWasBlank = false
            while let scalar = peek, scalar != "\n" {
                if scalar == "#" && previousWasBlank { break }
                previousWasBlank = Self.isBlank(scalar)
                value.append(scalar)
                _ = advance()
            }
            skipLine()
            while let last = value.last, Self.isBlank(last) { value.removeLast() }
            return String(value)
        }

        /// A value between quotes, which may span lines; the scanner is on the opening quote.
        mutating func quoted(closing: Unicode.Scalar, escapes: Bool, startLine: Int) throws(SyntaxError) -> String {
            _ = advance()
            var value = String.UnicodeScalarView()
            while let scalar = advance() {
                if scalar == closing { return String(value) }
                guard escapes, scalar == "\\", let escaped = peek else {
                    value.append(scalar)
                    continue
                }
                switch escaped {
                case "n": value.append("\n")
                case "r": value.append("\r")
                case "t": value.append("\t")
                case "\"", "'", "\\": value.append(escaped)
                default:
                    // Unknown escapes stay as written (a Windows path keeps its backslashes).
                    value.append(scalar)
                    continue
                }
                _ = advance()
            }
            throw .unterminatedQuote(line: startLine)
        }

        /// After a closing quote: blanks, then the end of the line or a comment.
        mutating func endOfQuotedValue(startLine: Int) throws(SyntaxError) {
            skipBlanks()
            switch peek {
            case nil: return
            case "\n", "#": skipLine()
            default: throw .textAfterQuote(line: line)
            }
        }
    }
}
