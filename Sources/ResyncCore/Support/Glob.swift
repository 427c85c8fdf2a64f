/// Glob matching as operators write job patterns: `*` or HWA's `@` any run, `?` one character, case-insensitive.
/// Used by the access policy, alert routes and alert subscriptions alike.
public enum Glob {
    public static func matches(pattern: String, _ value: String) -> Bool {
        let pattern = Array(pattern.uppercased())
        let value = Array(value.uppercased())
        var (p, v) = (0, 0)
        var star: Int?
        var resume = 0
        while v < value.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == value[v] {
                p += 1
                v += 1
            } else if p < pattern.count, isAnyRun(pattern[p]) {
                star = p
                resume = v
                p += 1
            } else if let star {
                // Let the last `*` swallow one more character and retry from there.
                p = star + 1
                resume += 1
                v = resume
            } else {
                return false
            }
        }
        while p < pattern.count, isAnyRun(pattern[p]) { p += 1 }
        return p == pattern.count
    }

    private static func isAnyRun(_ character: Character) -> Bool {
        character == "*" || character == "@"
    }
}
