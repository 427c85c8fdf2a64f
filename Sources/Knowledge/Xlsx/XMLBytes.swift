/// The attributes of one start tag, by name as written (`r`, `xml:space`); look-ups by local name too.
struct XMLAttributes {
    private(set) var pairs: [(name: String, value: String)] = []

    init() {}

    /// Parses `name="value"` pairs (either quote), decoding entities and character references in values.
    init(parsing bytes: UnsafeBufferPointer<UInt8>) throws(XMLBytes.Failure) {
        var position = 0
        while true {
            while position < bytes.count, XMLBytes.isWhitespace(bytes[position]) { position += 1 }
            guard position < bytes.count else { return }
            let nameStart = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "="), !XMLBytes.isWhitespace(bytes[position])
            {
                position += 1
            }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<position]), as: UTF8.self)
            guard XMLBytes.isName(name) else { throw XMLBytes.Failure("'\(name)' is not a valid attribute name") }
            while position < bytes.count, XMLBytes.isWhitespace(bytes[position]) { position += 1 }
            guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
                throw XMLBytes.Failure("attribute '\(name)' has no value")
            }
            position += 1
            while position < bytes.count, XMLBytes.isWhitespace(bytes[position]) { position += 1 }
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'")
            else { throw XMLBytes.Failure("the value of attribute '\(name)' is not quoted") }
            let quote = bytes[position]
            let valueStart = position + 1
            position = valueStart
            while position < bytes.count, bytes[position] != quote { position += 1 }
            guard position < bytes.count else {
                throw XMLBytes.Failure("the value of attribute '\(name)' is not closed")
            }
            let raw = UnsafeBufferPointer(rebasing: bytes[valueStart..<position])
            if raw.contains(UInt8(ascii: "<")) {
                throw XMLBytes.Failure("the value of attribute '\(name)' contains '<'")
            }
            if pairs.contains(where: { $0.name == name }) {
                throw XMLBytes.Failure("attribute '\(name)' appears twice")
            }
            pairs.append((name, try XMLBytes.decodeText(raw)))
            position += 1
            guard position == bytes.count || XMLBytes.isWhitespace(bytes[position]) else {
                throw XMLBytes.Failure("attribute '\(name)' is not followed by a space")
            }
        }
    }

    /// The value of the attribute whose local name (without namespace prefix) is `localName`.
    subscript(localName: String) -> String? {
        pairs.first { $0.name == localName || XMLBytes.localName($0.name) == localName }?.value
    }
}

/// Byte-level helpers of the scanner: searching, names, and text decoding.
enum XMLBytes {
    struct Failure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// A plausible XML name: not empty, not starting with a digit, `-` or `.`, no markup punctuation.
    static func isName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first), first != 0x2D, first != 0x2E else {
            return false
        }
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "\""),
                UInt8(ascii: "'"), UInt8(ascii: "&"), UInt8(ascii: "!"), UInt8(ascii: "?"):
                return false
            default:
                continue
            }
        }
        return true
    }

    /// `x:row` → `row`.
    static func localName(_ name: String) -> String {
        guard let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")) else { return name }
        return String(name[name.index(after: colon)...])
    }

    /// Index of the `>` that ends a tag whose body starts at `start`; `>` inside quoted values is skipped.
    static func tagEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var position = start
        var quote: UInt8 = 0
        while position < bytes.count {
            let byte = bytes[position]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == UInt8(ascii: ">") {
                return position
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            }
            position += 1
        }
        return nil
    }

    /// Index of the `>` ending a DOCTYPE, after any internal subset in `[...]`.
    static func doctypeEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var depth = 0
        var position = start
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ">") where depth <= 0: return position
            default: break
            }
            position += 1
        }
        return nil
    }

    static func find(_ marker: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let first = marker.first else { return start }
        var position = start
        while position + marker.count <= bytes.count {
            if bytes[position] == first, hasPrefix(bytes, at: position, marker) { return position }
            position += 1
        }
        return nil
    }

    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ prefix: [UInt8]) -> Bool {
        guard start + prefix.count <= bytes.count else { return false }
        for (offset, byte) in prefix.enumerated() where bytes[start + offset] != byte { return false }
        return true
    }

    static func newlines(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var count = 0
        for position in range where bytes[position] == 0x0A { count += 1 }
        return count
    }

    static func preview(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<min(bytes.count, start + 24)]), as: UTF8.self)
    }

    /// Character data: entities (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;`), character references (`&#10;`,
    /// `&#x41;`) and line ends (`\r\n` and `\r` are `\n`, as XML requires).
    /// `plain` says the caller already knows there is no `&` or `\r` in `bytes`.
    static func decodeText(_ bytes: UnsafeBufferPointer<UInt8>, plain: Bool = false) throws(Failure) -> String {
        guard !plain, bytes.contains(where: { $0 == UInt8(ascii: "&") || $0 == 0x0D }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = 0
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x0D {
                output.append(0x0A)
                position += position + 1 < bytes.count && bytes[position + 1] == 0x0A ? 2 : 1
            } else if byte == UInt8(ascii: "&") {
                position = try appendReference(bytes, at: position, to: &output)
            } else {
                output.append(byte)
                position += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// CDATA content is literal; only line ends are normalised.
    static func decodeCDATA(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self).replacingCRLF()
    }

    /// Appends the character of the reference at `start` (an `&`) and returns the index after its `;`.
    static func appendReference(
        _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, to output: inout [UInt8]
    ) throws(Failure) -> Int {
        var end = start + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: ";"), end - start <= 12 { end += 1 }
        let name = String(
            decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<min(end, bytes.count)]), as: UTF8.self)
        guard end < bytes.count, bytes[end] == UInt8(ascii: ";") else {
            throw Failure("'&\(name)' is not a complete entity or character reference (write & as &amp;)")
        }
        let scalar: Unicode.Scalar?
        switch name {
        case "amp": scalar = "&"
        case "lt": scalar = "<"
        case "gt": scalar = ">"
        case "quot": scalar = "\""
        case "apos": scalar = "'"
        default: scalar = try characterReference(name)
        }
        guard let scalar else { throw Failure("unknown entity '&\(name);'") }
        output.append(contentsOf: String(Character(scalar)).utf8)
        return end + 1
    }

    /// `#10` or `#x41` → the scalar; nil when `name` is not a character reference at all.
    static func characterReference(_ name: String) throws(Failure) -> Unicode.Scalar? {
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let value =
            digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
        guard let value, value != 0, let scalar = Unicode.Scalar(value) else {
            throw Failure("'&\(name);' is not a valid character reference")
        }
        return scalar
    }
}

extension String {
    fileprivate func replacingCRLF() -> String {
        guard utf8.contains(0x0D) else { return self }
        return replacing("\r\n", with: "\n").replacing("\r", with: "\n")
    }
}
