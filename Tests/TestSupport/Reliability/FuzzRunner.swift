import Foundation

/// What a parser did with one input.
public enum FuzzVerdict: Sendable {
    /// Returned a value.
    case accepted
    /// Threw its own typed error.
    case rejected
}

/// The outcome of a bounded fuzz run.
public struct FuzzSummary: Sendable, CustomStringConvertible {
    public var target: String
    public var seed: UInt64
    public var inputs = 0
    public var accepted = 0
    public var rejected = 0
    public var slowest: Duration = .zero
    public var slowestInputSize = 0
    public var elapsed: Duration = .zero

    public var description: String {
        "\(target): \(inputs) inputs (\(accepted) accepted, \(rejected) rejected) in \(elapsed), slowest \(slowest) "
            + "for \(slowestInputSize) bytes, seed \(seed)"
    }
}

/// Feeds seeded mutations of valid samples to a parser until the iteration or time bound.
public enum FuzzRunner {
    /// With `RESYNC_FUZZ_LAST_INPUT=<prefix>` each input is written to `<prefix>-<target>` before it runs, so the
    /// input that crashed the process is on disk for a regression test.
    static func lastInputPath(_ target: String) -> String? {
        guard let prefix = ProcessInfo.processInfo.environment["RESYNC_FUZZ_LAST_INPUT"], !prefix.isEmpty else {
            return nil
        }
        return prefix + "-" + String(target.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Runs `parse` on every input. A crash kills the test process, so the seed is printed before the first
    /// input: replay with `RESYNC_FUZZ_SEED=<seed>`.
    public static func run(
        _ target: String, samples: [[UInt8]], settings: FuzzSettings = .fromEnvironment(),
        parse: (_ input: [UInt8]) -> FuzzVerdict
    ) async -> FuzzSummary {
        FileHandle.standardError.write(
            Data("fuzz \(target): seed \(settings.seed) (replay with RESYNC_FUZZ_SEED=\(settings.seed))\n".utf8))
        var random = SeededGenerator(seed: settings.seed)
        let mutator = Mutator(samples: samples)
        var summary = FuzzSummary(target: target, seed: settings.seed)
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int(settings.seconds * 1000))
        // The unmutated samples first: they must parse, or the run would only exercise the error paths.
        let inputs = samples
        for index in 0..<max(settings.iterations, inputs.count) {
            if index >= inputs.count && clock.now >= deadline { break }
            let input = index < inputs.count ? inputs[index] : mutator.input(using: &random)
            if let keep = lastInputPath(target) {
                _ = FileManager.default.createFile(atPath: keep, contents: Data(input))
            }
            let began = clock.now
            switch parse(input) {
            case .accepted: summary.accepted += 1
            case .rejected: summary.rejected += 1
            }
            let took = clock.now - began
            if took > summary.slowest {
                summary.slowest = took
                summary.slowestInputSize = input.count
            }
            summary.inputs += 1
            // The parsers are synchronous: yielding between inputs keeps a long run from holding one of the few
            // cooperative threads that the other suites' network and timer work needs.
            await Task.yield()
        }
        summary.elapsed = clock.now - start
        return summary
    }
}
