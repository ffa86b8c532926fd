/// JSON text written directly, byte-identical to Foundation's `JSONEncoder` with
/// `.sortedKeys, .withoutEscapingSlashes` for the values it handles. Used where the generic
/// encoder was measured to dominate (API responses, stored record fields).
public enum JSONText {
    /// Appends `s` as a JSON string literal (UTF-8; only `"`, `\` and control characters escaped).
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: s.utf8)   // the common case: nothing to escape
            out.append(UInt8(ascii: "\""))
            return
        }
        for b in s.utf8 {   // bytes ≥ 0x80 are parts of multi-byte characters and pass through
            switch b {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0..<0x20: out += Array("\\u00".utf8) + Array(Hex.encode([b]).utf8)
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A string map as a JSON object with keys in sorted order.
    public static func sortedObject(_ map: [String: String]) -> String {
        sortedObject(map, sortedKeys: map.keys.sorted())
    }

    /// The same, with the keys' sorted order known in advance (a catalog item's field names, sorted
    /// once rather than per record). Keys of `map` missing from `sortedKeys` fall back to sorting.
    public static func sortedObject(_ map: [String: String], sortedKeys: [String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(map.count * 48)
        var written = 0
        for k in sortedKeys {
            guard let v = map[k] else { continue }
            if written > 0 { out.append(UInt8(ascii: ",")) }
            appendString(k, to: &out)
            out.append(UInt8(ascii: ":"))
            appendString(v, to: &out)
            written += 1
        }
        guard written == map.count else { return sortedObject(map, sortedKeys: map.keys.sorted()) }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}
