/// A job's common (external) status as HWA reports it: WAITING, READY, RUNNING, SUCCESSFUL, ERROR…
///
/// Kept as its raw string so that a value this code has never seen still decodes and is shown as is.
public struct CommonStatus: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        // The 9.4 SOAP enum spells SUCCESSFULL; both spellings mean the same state.
        let upper = rawValue.uppercased()
        self.rawValue = upper == "SUCCESSFULL" ? "SUCCESSFUL" : upper
    }

    public init(_ rawValue: String) { self.init(rawValue: rawValue) }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static let waiting = CommonStatus("WAITING")
    public static let ready = CommonStatus("READY")
    public static let running = CommonStatus("RUNNING")
    public static let successful = CommonStatus("SUCCESSFUL")
    public static let error = CommonStatus("ERROR")
    public static let canceled = CommonStatus("CANCELED")
    public static let held = CommonStatus("HELD")
    public static let undecided = CommonStatus("UNDECIDED")
    public static let blocked = CommonStatus("BLOCKED")
    public static let suppress = CommonStatus("SUPPRESS")

    /// The statuses HWA documents, in the order a status breakdown shows them.
    public static let documented: [CommonStatus] = [
        .running, .ready, .waiting, .held, .blocked, .undecided, .successful, .error, .canceled, .suppress,
    ]
}

/// A job's internal status (what `conman` shows): ABEND, FAIL, EXEC, SUCC, HOLD…
public struct InternalStatus: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static let abend = InternalStatus("ABEND")
    public static let abendPending = InternalStatus("ABENP")
    public static let fail = InternalStatus("FAIL")
    public static let error = InternalStatus("ERROR")
    public static let exec = InternalStatus("EXEC")
    public static let succ = InternalStatus("SUCC")
    public static let succPending = InternalStatus("SUCCP")
    public static let hold = InternalStatus("HOLD")
    public static let ready = InternalStatus("READY")
    public static let sched = InternalStatus("SCHED")
    public static let wait = InternalStatus("WAIT")
    public static let intro = InternalStatus("INTRO")
    public static let pend = InternalStatus("PEND")
    public static let cancl = InternalStatus("CANCL")
    public static let done = InternalStatus("DONE")
    public static let fence = InternalStatus("FENCE")
    public static let extrn = InternalStatus("EXTRN")

    /// Internal states that mean the run failed, the default set the monitor alerts on.
    public static let failures: Set<InternalStatus> = [.abend, .abendPending, .fail, .error]
}
