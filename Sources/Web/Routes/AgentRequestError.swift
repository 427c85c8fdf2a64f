import Hummingbird

/// A request to the agent's routes that cannot be served as written; each message says how to write it.
enum AgentRequestError: Error, Equatable, CustomStringConvertible {
    /// The `{name}` segment of `/api/jobs/{name}` is not valid percent-encoding.
    case undecodableJobName
    /// The decoded `{name}` is not a job name, wildcard, folder path or `WS#STREAM.JOB`.
    case notAJobName(String)

    var description: String {
        switch self {
        case .undecodableJobName:
            "the job name in the path is not valid percent-encoding; encode # as %23, / as %2F and ? as %3F"
        case .notAJobName(let name):
            "'\(name.prefix(80))' is not a job name; use NAME, a wildcard (PAYROLL_*), /FOLDER/NAME or WS#STREAM.JOB"
                + " (in a path, # is written %23 and / is written %2F)"
        }
    }

    var httpError: HTTPError { HTTPError(.badRequest, message: description) }
}
