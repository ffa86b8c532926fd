/// Lower-case hexadecimal, without `String(format:)` (which costs microseconds per byte).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Bytes in an array (hashes, the common case): written straight into the string's storage.
    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { src in
            String(unsafeUninitializedCapacity: src.count * 2) { dst in
                var i = 0
                for b in src {
                    dst[i] = digits[Int(b >> 4)]
                    dst[i + 1] = digits[Int(b & 0x0f)]
                    i += 2
                }
                return i
            }
        }
    }

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        encode(Array(bytes))
    }

    /// Appends the hexadecimal digits of `bytes` to a byte buffer (canonical JSON written as bytes).
    public static func append(_ bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBytes { append($0, to: &out) }
    }

    public static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bytes.count * 2))
        out.withUnsafeMutableBufferPointer { dst in
            var i = start
            for b in bytes {
                dst[i] = digits[Int(b >> 4)]
                dst[i + 1] = digits[Int(b & 0x0f)]
                i += 2
            }
        }
    }

    /// The bytes of an even-length hexadecimal string (either case), or nil.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let h = nibble(chars[i]), let l = nibble(chars[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }
}
