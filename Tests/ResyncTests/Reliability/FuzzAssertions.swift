import TestSupport
import Testing

/// The checks every fuzz run makes: the run did happen, the valid samples were accepted (so the mutations
/// reach past the first parse error), and no input took long enough to be a denial of service.
func expectSound(_ summary: FuzzSummary, minimumAccepted: Int, slowestBound: Duration = .seconds(10)) {
    let passed =
        summary.inputs >= minimumAccepted && summary.accepted >= minimumAccepted
        && summary.slowest < slowestBound
    #expect(summary.inputs >= minimumAccepted, "\(summary)")
    #expect(summary.accepted >= minimumAccepted, "valid samples were refused: \(summary)")
    #expect(summary.slowest < slowestBound, "one input took too long: \(summary)")
    ReliabilityResults.record(
        suite: "fuzz", name: summary.target, count: summary.inputs, passed: passed,
        figures:
            "\(summary.accepted) accepted, \(summary.rejected) typed errors, slowest \(summary.slowest.milliseconds) ms "
            + "(\(summary.slowestInputSize) B), seed \(summary.seed)")
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
