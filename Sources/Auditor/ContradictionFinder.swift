import Foundation
import ResyncCore

/// Finds known solutions for the same job and error whose texts share almost no words: one of them is
/// likely wrong, so the weaker one goes to a human.
struct ContradictionFinder {
    let threshold: Double

    /// Memory id → the id of the better-rated solution it disagrees with.
    func find(in memories: [Memory]) -> [String: String] {
        let solutions = memories.filter { $0.kind == .knownSolution && $0.jobName != nil }
        let groups = Dictionary(grouping: solutions) {
            "\($0.jobName?.uppercased() ?? "")|\($0.errorSignature?.uppercased() ?? "")"
        }
        var result: [String: String] = [:]
        for group in groups.values where group.count > 1 {
            let ranked = group.sorted { $0.feedback.balance > $1.feedback.balance }
            for (index, weaker) in ranked.enumerated().dropFirst() {
                let stronger = ranked[..<index].first { similarity($0.text, weaker.text) < threshold }
                if let stronger { result[weaker.id] = stronger.id }
            }
        }
        return result
    }

    func similarity(_ a: String, _ b: String) -> Double {
        let wordsA = words(a)
        let wordsB = words(b)
        guard !wordsA.isEmpty || !wordsB.isEmpty else { return 1 }
        return Double(wordsA.intersection(wordsB).count) / Double(wordsA.union(wordsB).count)
    }

    func words(_ text: String) -> Set<String> {
        Set(
            text.lowercased().folding(options: .diacriticInsensitive, locale: nil)
                .split { !$0.isLetter && !$0.isNumber }
                .filter { $0.count > 2 }
                .map(String.init))
    }
}
