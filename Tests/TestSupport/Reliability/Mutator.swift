/// Seeded mutations of valid samples: bit flips, special bytes, truncation, deletion, duplication, splices
/// with another sample, huge fields, odd Unicode and deep nesting. One to four mutations per input.
public struct Mutator: Sendable {
    public let samples: [[UInt8]]

    public init(samples: [[UInt8]]) {
        precondition(!samples.isEmpty, "a mutator needs at least one valid sample")
        self.samples = samples
    }

    /// Bytes that mean something to form, JSON, XML, CSV and percent-decoding parsers.
    static let specialBytes: [UInt8] =
        Array(#"%"{}[]<>&=+\,;:/0x"#.utf8) + [0, 0x0A, 0x0D, 0x7F, 0x80, 0xC3, 0xED, 0xFF]

    /// Text that stresses Unicode handling: combining marks, RTL, emoji with joiners, a lone surrogate's
    /// UTF-8 form (invalid), NUL, a BOM, and overlong encodings.
    static let oddTexts: [[UInt8]] = [
        Array("e\u{301}\u{302}\u{303}".utf8), Array("\u{202E}drowssap\u{202C}".utf8),
        Array("👩‍👩‍👧‍👦🏳️‍🌈".utf8), [0xED, 0xA0, 0x80], [0], [0xEF, 0xBB, 0xBF], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80],
        Array("%ZZ%%%E2%82".utf8), Array("\\u0000\\ud800\\uDFFF".utf8), Array("1e999999".utf8), Array("-0.0e-400".utf8),
    ]

    public func input(using random: inout SeededGenerator) -> [UInt8] {
        var bytes = samples.randomElement(using: &random)!
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            mutate(&bytes, using: &random)
        }
        return bytes
    }

    func mutate(_ bytes: inout [UInt8], using random: inout SeededGenerator) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &random)
        switch Int.random(in: 0..<10, using: &random) {
        case 0 where !bytes.isEmpty:
            let index = Int.random(in: 0..<bytes.count, using: &random)
            bytes[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
        case 1 where !bytes.isEmpty:
            bytes[Int.random(in: 0..<bytes.count, using: &random)] = Self.specialBytes.randomElement(using: &random)!
        case 2:
            bytes.removeSubrange(position...)
        case 3 where position < bytes.count:
            let end = min(bytes.count, position + Int.random(in: 1...64, using: &random))
            bytes.removeSubrange(position..<end)
        case 4 where position < bytes.count:
            let end = min(bytes.count, position + Int.random(in: 1...256, using: &random))
            bytes.insert(contentsOf: bytes[position..<end], at: position)
        case 5:
            let other = samples.randomElement(using: &random)!
            let cut = other.isEmpty ? 0 : Int.random(in: 0..<other.count, using: &random)
            bytes = Array(bytes[..<position]) + Array(other[cut...])
        case 6:
            let unit = Self.oddTexts.randomElement(using: &random)! + Array("A".utf8)
            let repeats = [1, 1_000, 200_000].randomElement(using: &random)!
            let huge = Array([[UInt8]](repeating: unit, count: max(1, repeats / unit.count)).joined())
            bytes.insert(contentsOf: huge, at: position)
        case 7:
            bytes.insert(contentsOf: Self.oddTexts.randomElement(using: &random)!, at: position)
        case 8:
            let opener = Array(#"[{"a":"#.utf8).randomElement(using: &random)!
            let depth = [64, 2_000, 50_000].randomElement(using: &random)!
            bytes.insert(contentsOf: [UInt8](repeating: opener, count: depth), at: position)
        default:
            bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
        }
    }
}
