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
