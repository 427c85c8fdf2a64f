import ResyncCore
import Testing

@Suite("Once flag")
struct OnceFlagTests {
    @Test func onlyTheFirstOfManyConcurrentClaimsWins() async {
        let flag = OnceFlag()
        let wins = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 { group.addTask { flag.claim() } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
        #expect(!flag.claim())
    }
}
