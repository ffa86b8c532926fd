/// JSON text written directly, byte-identical to Foundation's `JSONEncoder` with
/// `.sortedKeys, .withoutEscapingSlashes` for the values it handles. Used where the generic
/// encoder was measured to dominate (API responses, stored record fields).
public enum JSONText {
    /// Appends `s` as a JSON string literal (UTF-8; only `"`, `\` and control characters escaped).
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        var s = s   // its bytes in place (a native string's already are): a large import writes a
        s.withUTF8 { bytes in   // record's fields this way a million times
            out.append(UInt8(ascii: "\""))
            if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                out.append(contentsOf: bytes)   // the common case: nothing to escape
            } else {
                for b in bytes {   // bytes ≥ 0x80 are parts of multi-byte characters and pass through
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
            }
            out.append(UInt8(ascii: "\""))
        }
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

extension JSONText {
    /// Writes objects and arrays field by field (keys are written in the order given: give them
    /// sorted to match `JSONEncoder` with `.sortedKeys`). Absent optionals are written as `null`.
    public struct Writer {
        public private(set) var bytes: [UInt8] = []
        private var first = true
        public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

        private mutating func separate() {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
        }
        private mutating func key(_ k: String) {
            separate()
            JSONText.appendString(k, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }
        public mutating func open() { separate(); bytes.append(UInt8(ascii: "{")); first = true }
        public mutating func open(_ k: String) { key(k); bytes.append(UInt8(ascii: "{")); first = true }
        public mutating func close() { bytes.append(UInt8(ascii: "}")); first = false }
        public mutating func openArray(_ k: String) { key(k); bytes.append(UInt8(ascii: "[")); first = true }
        public mutating func closeArray() { bytes.append(UInt8(ascii: "]")); first = false }

        public mutating func string(_ k: String, _ v: String?) {
            key(k)
            if let v { JSONText.appendString(v, to: &bytes) } else { bytes += Array("null".utf8) }
        }
        public mutating func int(_ k: String, _ v: Int64?) { key(k); bytes += Array((v.map(String.init) ?? "null").utf8) }
        public mutating func bool(_ k: String, _ v: Bool) { key(k); bytes += Array((v ? "true" : "false").utf8) }
        public mutating func strings(_ k: String, _ vs: [String]) {
            openArray(k)
            for v in vs { separate(); JSONText.appendString(v, to: &bytes) }
            closeArray()
        }
        public mutating func ints(_ k: String, _ vs: [Int64]) {
            openArray(k)
            for v in vs { separate(); bytes += Array(String(v).utf8) }
            closeArray()
        }
        /// An element of an array that is already JSON text.
        public mutating func raw(_ json: some Sequence<UInt8>) { separate(); bytes.append(contentsOf: json) }
        public mutating func raw(_ k: String, _ json: some Sequence<UInt8>) { key(k); bytes.append(contentsOf: json) }
    }
}

extension JSONText {
    /// Reads a JSON object whose values are all strings (how record fields are stored), without
    /// the generic decoder: reading the fields of 1,750 records took 38 ms of a 1,000-subject check
    /// through `JSONDecoder`. Returns nil for anything else (the caller then uses the decoder).
    public static func flatObject(_ text: String) -> [String: String]? {
        var text = text
        return text.withUTF8 { bytes -> [String: String]? in
            var i = 0
            let n = bytes.count
            func skipSpace() { while i < n, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 } }
            func string() -> String? {
                guard i < n, bytes[i] == UInt8(ascii: "\"") else { return nil }
                i += 1
                let start = i
                // Fast path: no escapes.
                while i < n, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 { i += 1 }
                guard i < n else { return nil }
                if bytes[i] == UInt8(ascii: "\"") {
                    defer { i += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                }
                var out = Array(bytes[start..<i])
                while i < n {
                    let b = bytes[i]
                    if b == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
                    if b < 0x20 { return nil }
                    guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
                    i += 1
                    guard i < n else { return nil }
                    switch bytes[i] {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        func hex4() -> UInt32? {
                            guard i + 4 < n, let v = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)...(i + 4)]), as: UTF8.self), radix: 16)
                            else { return nil }
                            i += 4
                            return v
                        }
                        guard var scalar = hex4() else { return nil }
                        if (0xD800..<0xDC00).contains(scalar) {
                            guard i + 2 < n, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") else { return nil }
                            i += 2
                            guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let u = Unicode.Scalar(scalar) else { return nil }
                        out.append(contentsOf: Array(String(Character(u)).utf8))
                    default: return nil
                    }
                    i += 1
                }
                return nil
            }
            var map: [String: String] = [:]
            skipSpace()
            guard i < n, bytes[i] == UInt8(ascii: "{") else { return nil }
            i += 1
            skipSpace()
            if i < n, bytes[i] == UInt8(ascii: "}") { i += 1; skipSpace(); return i == n ? map : nil }
            while true {
                skipSpace()
                guard let k = string() else { return nil }
                skipSpace()
                guard i < n, bytes[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                skipSpace()
                guard let v = string() else { return nil }
                map[k] = v
                skipSpace()
                guard i < n else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "}") else { return nil }
                i += 1
                skipSpace()
                return i == n ? map : nil
            }
        }
    }
}
