import ArgumentParser

/// Benchmarks for `make bench`. Each concern registers its subcommand here and keeps its code in its own file.
@main
struct ResyncBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resync-bench",
        abstract: "Resync benchmarks; each prints a Markdown table row set for docs/BENCHMARKS.md.",
        subcommands: [
            HWABench.self, KnowledgeBench.self, AskBench.self, SlackBench.self, MonitorBench.self, WebBench.self,
        ]
    )
}
