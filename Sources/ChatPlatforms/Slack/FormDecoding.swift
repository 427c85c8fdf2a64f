/// `application/x-www-form-urlencoded` bodies, decoded strictly: bad percent escapes and invalid UTF-8 are
/// errors, not replacement characters.
enum FormDecoding {
    static func decode(_ body: [UInt8]) throws(ChatRequestError) -> [String: String] {
        var fields: [String: String] = [:]
        fields.reserveCapacity(16)
        try forEachField(in: body) { (name, value) throws(ChatRequestError) in
            let name = try decodeComponent(name)
            if fields[name] == nil { fields[name] = try decodeComponent(value) }
        }
        return fields
    }

    /// Calls `visit` with each non-empty field's name and value as they are in the body, still encoded, in order.
    /// One pass over the body; a caller that needs a few fields decodes only those.
    static func forEachField(
        in body: [UInt8], _ visit: (ArraySlice<UInt8>, ArraySlice<UInt8>) throws(ChatRequestError) -> Void
    ) throws(ChatRequestError) {
        var start = body.startIndex
        while start < body.endIndex {
            let end = body[start...].firstIndex(of: UInt8(ascii: "&")) ?? body.endIndex
            let pair = body[start..<end]
            if !pair.isEmpty {
                let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? end
                try visit(pair[..<equals], equals < end ? pair[(equals + 1)...] : [])
            }
            start = end + 1
        }
    }

    static func decodeComponent(_ bytes: ArraySlice<UInt8>) throws(ChatRequestError) -> String {
        // Most fields (ids, names) have nothing to decode: no intermediate copy for them.
        if !bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .malformedBody("form data is not valid UTF-8")
            }
            return text
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                    let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2])
                else { throw .malformedBody("bad percent escape in form data") }
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        guard let text = String(validating: output, as: UTF8.self) else {
            throw .malformedBody("form data is not valid UTF-8")
        }
        return text
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
