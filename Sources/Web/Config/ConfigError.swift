import ResyncCore

/// One thing wrong with the configuration, naming the variable and what to do.
public struct ConfigProblem: Hashable, Sendable, CustomStringConvertible {
    public var variable: String
    public var message: String

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { "\(variable): \(message)" }
}

/// The configuration could not be used. Rendered as one line per problem; never contains a secret value.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(problems: [ConfigProblem]) { self.problems = problems }

    public var description: String {
        problems.map { "configuration error: \($0)" }.joined(separator: "\n")
    }
}

extension ConfigProblem {
    /// Most characters of a refused value a message shows.
    public static let echoLimit = 40

    /// How a message shows the value `variable` was refused for: `'value'`, or `the value` alone for a
    /// secret variable. A value is cut at its first line break (what follows may be the rest of a file
    /// misread as one value), shows control characters as escapes, has credential-like parts masked, and is
    /// cut to `echoLimit` characters with its length.
    public static func quote(_ raw: String, of variable: String) -> String {
        guard !AppConfig.secretVariableNames.contains(variable) else { return "the value" }
        var escaped = ""
        var cut = false
        for scalar in raw.unicodeScalars {
            if scalar == "\n" || scalar == "\r" {
                escaped += scalar == "\n" ? "\\n" : "\\r"
                cut = true
                break
            }
            escaped += visible(scalar)
        }
        var shown = Redactor.redactLogLine(escaped)
        if shown.count > echoLimit {
            shown = String(shown.prefix(echoLimit))
            cut = true
        }
        return cut ? "'\(shown)…' (\(raw.count) characters)" : "'\(shown)'"
    }

    /// Control and invisible formatting characters (a bidi override, a zero-width space) as `\u{…}` escapes.
    static func visible(_ scalar: Unicode.Scalar) -> String {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator:
            scalar == "\t" ? "\\t" : "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        default:
            String(scalar)
        }
    }
}
