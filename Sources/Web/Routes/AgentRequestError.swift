import Hummingbird

/// A request to the agent's routes that cannot be served as written; each message says how to write it.
enum AgentRequestError: Error, Equatable, CustomStringConvertible {
    /// The `{name}` segment of `/api/jobs/{name}` is not valid percent-encoding.
    case undecodableJobName
    /// The decoded `{name}` is not a job name, wildcard, folder path or `WS#STREAM.JOB`.
    case notAJobName(String)
    /// The `POST /api/ask` body is not a JSON object.
    case askBodyNotJSON
    /// The body has no `question`, or it is null.
    case questionMissing
    /// `question` is there but is not a string.
    case questionNotString
    case questionEmpty
    case questionTooLong(maximum: Int)
    /// `language` is not one of the codes Resync answers in.
    case unknownLanguage
    /// `since` of `/api/failures` is none of the documented forms.
    case unreadableSince(String)
    /// `since` reaches further back than `FailureWindow.maximumDays`.
    case sinceTooLarge(String)

    static let askShape = #"{"question": "...", "language"?: "en" | "pt-BR"}"#

    var description: String {
        switch self {
        case .undecodableJobName:
            "the job name in the path is not valid percent-encoding; encode # as %23, / as %2F and ? as %3F"
        case .notAJobName(let name):
            "'\(name.prefix(80))' is not a job name; use NAME, a wildcard (PAYROLL_*), /FOLDER/NAME or WS#STREAM.JOB"
                + " (in a path, # is written %23 and / is written %2F)"
        case .askBodyNotJSON: "body must be JSON, an object: \(Self.askShape)"
        case .questionMissing: "`question` is missing or null; send \(Self.askShape)"
        case .questionNotString: "`question` must be a string; send \(Self.askShape)"
        case .questionEmpty: "question is empty"
        case .questionTooLong(let maximum): "question is longer than \(maximum) characters"
        case .unknownLanguage: "language must be 'en' or 'pt-BR'"
        case .unreadableSince(let text):
            "since='\(text.prefix(40))' is not a window; use 30m, 3h or 2d (a whole number of minutes, hours or days),"
                + " today, yesterday or 'since 14:00', or leave it out for the last 24h"
        case .sinceTooLarge(let text):
            "since='\(text.prefix(40))' is too large: the window reaches back at most \(FailureWindow.maximumDays) days"
                + " (\(FailureWindow.maximumDays)d, \(FailureWindow.maximumDays * 24)h)"
        }
    }

    var httpError: HTTPError { HTTPError(.badRequest, message: description) }
}
