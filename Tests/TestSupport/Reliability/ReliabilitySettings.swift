import Foundation

/// How big the reliability suites run: `smoke` inside `make test` (seconds), `full` under `make reliability`
/// (`RESYNC_RELIABILITY=full`).
public enum ReliabilityMode: String, Sendable {
    case smoke
    case full

    public static var current: ReliabilityMode {
        ProcessInfo.processInfo.environment["RESYNC_RELIABILITY"] == "full" ? .full : .smoke
    }

    /// `smoke` in smoke mode, `full` otherwise.
    public func size(smoke: Int, full: Int) -> Int { self == .full ? full : smoke }
}

/// Bounds of one fuzz run: at most `iterations` inputs and at most `seconds` of wall time, whichever ends first.
public struct FuzzSettings: Sendable {
    public var iterations: Int
    public var seconds: Double
    public var seed: UInt64

    /// From `RESYNC_FUZZ_ITERATIONS`, `RESYNC_FUZZ_SECONDS` and `RESYNC_FUZZ_SEED` (a fresh random seed when
    /// unset; it is printed so a failing run can be replayed).
    public static func fromEnvironment(smokeIterations: Int = 200) -> FuzzSettings {
        let environment = ProcessInfo.processInfo.environment
        let mode = ReliabilityMode.current
        let iterations =
            environment["RESYNC_FUZZ_ITERATIONS"].flatMap(Int.init) ?? mode.size(smoke: smokeIterations, full: 50_000)
        let seconds = environment["RESYNC_FUZZ_SECONDS"].flatMap(Double.init) ?? (mode == .full ? 60 : 1.5)
        let seed = environment["RESYNC_FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max >> 1)
        return FuzzSettings(iterations: iterations, seconds: seconds, seed: seed)
    }
}

/// A small deterministic generator (SplitMix64): the same seed gives the same inputs on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
