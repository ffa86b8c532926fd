import Foundation

/// A QR code (ISO/IEC 18004) in byte mode at error-correction level M, versions 1–10 (up to 213
/// bytes: a report's verification address fits in version 4), drawn as SVG by the platform itself
/// (deployments are offline: no chart or QR service). The mask is the one with the lowest penalty
/// score, as the standard chooses it.
public struct QRCode: Sendable, Equatable {
    public let version: Int
    public let size: Int
    /// `modules[y][x]`: true is dark.
    public let modules: [[Bool]]
    public let mask: Int

    /// Total codewords, error-correction codewords per block and blocks, level M, versions 1–10.
    static let table: [(total: Int, ecc: Int, blocks: Int)] = [
        (26, 10, 1), (44, 16, 1), (70, 26, 1), (100, 18, 2), (134, 24, 2),
        (172, 16, 4), (196, 18, 4), (242, 22, 4), (292, 22, 5), (346, 26, 5),
    ]
    static let alignment: [[Int]] = [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]]

    public struct TooLong: Error, CustomStringConvertible {
        public var description: String { "二维码内容过长（最多 213 字节）" }
    }

    public init(_ text: String, mask forcedMask: Int? = nil) throws {
        let bytes = Array(text.utf8)
        guard let v = (1...10).first(where: { v in
            let t = Self.table[v - 1]
            return 4 + (v < 10 ? 8 : 16) + bytes.count * 8 <= (t.total - t.ecc * t.blocks) * 8
        }) else { throw TooLong() }
        version = v
        size = v * 4 + 17
        let t = Self.table[v - 1]
        let capacity = t.total - t.ecc * t.blocks

        // Data codewords: mode 0100, count, bytes, terminator, padding.
        var bits: [Bool] = []
        func put(_ value: Int, _ n: Int) { for i in stride(from: n - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) } }
        put(4, 4)
        put(bytes.count, v < 10 ? 8 : 16)
        for b in bytes { put(Int(b), 8) }
        put(0, min(4, capacity * 8 - bits.count))
        while bits.count % 8 != 0 { bits.append(false) }
        var data: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { i in bits[i..<i + 8].reduce(0) { $0 << 1 | ($1 ? 1 : 0) } }
        var pad: UInt8 = 0xEC
        while data.count < capacity { data.append(pad); pad = pad == 0xEC ? 0x11 : 0xEC }

        // Blocks with their Reed–Solomon codewords, interleaved.
        let short = t.total / t.blocks
        let shortCount = t.blocks - t.total % t.blocks
        let divisor = Self.rsDivisor(t.ecc)
        var blocks: [[UInt8]] = [], eccs: [[UInt8]] = []
        var k = 0
        for i in 0..<t.blocks {
            let n = short - t.ecc + (i < shortCount ? 0 : 1)
            let block = Array(data[k..<k + n]); k += n
            blocks.append(block); eccs.append(Self.rsRemainder(block, divisor))
        }
        var codewords: [UInt8] = []
        for i in 0..<(short - t.ecc + 1) { for b in blocks where i < b.count { codewords.append(b[i]) } }
        for i in 0..<t.ecc { for e in eccs { codewords.append(e[i]) } }

        // Function patterns, then the codewords in the zigzag, then the best mask.
        var grid = Grid(size: size)
        grid.drawFunctionPatterns(version: v)
        grid.drawCodewords(codewords)
        var best: (score: Int, mask: Int, modules: [[Bool]])?
        for m in forcedMask.map({ [$0] }) ?? Array(0..<8) {
            var g = grid
            g.applyMask(m)
            g.drawFormat(mask: m)
            let s = g.penalty()
            if best == nil || s < best!.score { best = (s, m, g.modules) }
        }
        modules = best!.modules
        mask = best!.mask
    }

    /// The code as an SVG image (with the four-module quiet zone), scalable and printable.
    public func svg(moduleSize: Int = 4) -> String {
        let full = size + 8
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard modules[y][x] else { x += 1; continue }
                var run = 1
                while x + run < size && modules[y][x + run] { run += 1 }
                path += "M\(x + 4) \(y + 4)h\(run)v1h-\(run)z"
                x += run
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(full) \(full)\" width=\"\(full * moduleSize)\" height=\"\(full * moduleSize)\""
            + " shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"\(full)\" height=\"\(full)\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    // MARK: Reed–Solomon over GF(2^8), polynomial 0x11D

    static func mul(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= ((Int(y) >> i) & 1) * Int(x)
        }
        return UInt8(z)
    }

    static func rsDivisor(_ degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree - 1) + [1]
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = mul(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = mul(root, 0x02)
        }
        return result
    }

    static func rsRemainder(_ data: [UInt8], _ divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for b in data {
            let factor = b ^ result.removeFirst()
            result.append(0)
            for i in result.indices { result[i] ^= mul(divisor[i], factor) }
        }
        return result
    }

    // MARK: Drawing

    struct Grid {
        let size: Int
        var modules: [[Bool]]
        var function: [[Bool]]
        init(size: Int) {
            self.size = size
            modules = Array(repeating: Array(repeating: false, count: size), count: size)
            function = modules
        }

        mutating func set(_ x: Int, _ y: Int, _ dark: Bool) { modules[y][x] = dark; function[y][x] = true }

        mutating func drawFunctionPatterns(version v: Int) {
            for i in 0..<size { set(6, i, i % 2 == 0); set(i, 6, i % 2 == 0) }
            for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 { for dx in -4...4 {
                    let x = cx + dx, y = cy + dy
                    guard x >= 0, x < size, y >= 0, y < size else { continue }
                    let d = max(abs(dx), abs(dy))
                    set(x, y, d != 2 && d != 4)
                } }
            }
            let pos = QRCode.alignment[v - 1]
            for (i, ax) in pos.enumerated() { for (j, ay) in pos.enumerated() {
                if (i == 0 && j == 0) || (i == 0 && j == pos.count - 1) || (i == pos.count - 1 && j == 0) { continue }
                for dy in -2...2 { for dx in -2...2 { set(ax + dx, ay + dy, max(abs(dx), abs(dy)) != 1) } }
            } }
            drawFormat(mask: 0)   // reserves the format areas; redrawn per mask
            if v >= 7 {
                var rem = v
                for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
                let bits = v << 12 | rem
                for i in 0..<18 {
                    let bit = (bits >> i) & 1 == 1
                    let a = size - 11 + i % 3, b = i / 3
                    set(a, b, bit); set(b, a, bit)
                }
            }
        }

        /// Format information: level M (00) and the mask, BCH-protected, in both copies, and the dark module.
        mutating func drawFormat(mask: Int) {
            let data = 0 << 3 | mask
            var rem = data
            for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
            let bits = (data << 10 | rem) ^ 0x5412
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6)); set(8, 8, bit(7)); set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        mutating func drawCodewords(_ data: [UInt8]) {
            var i = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vert in 0..<size {
                    for j in 0..<2 {
                        let x = right - j
                        let upward = (right + 1) & 2 == 0
                        let y = upward ? size - 1 - vert : vert
                        if !function[y][x] && i < data.count * 8 {
                            modules[y][x] = (data[i >> 3] >> (7 - UInt8(i & 7))) & 1 == 1
                            i += 1
                        }
                    }
                }
                right -= 2
            }
        }

        mutating func applyMask(_ m: Int) {
            for y in 0..<size { for x in 0..<size where !function[y][x] {
                let flip = switch m {
                case 0: (x + y) % 2 == 0
                case 1: y % 2 == 0
                case 2: x % 3 == 0
                case 3: (x + y) % 3 == 0
                case 4: (x / 3 + y / 2) % 2 == 0
                case 5: x * y % 2 + x * y % 3 == 0
                case 6: (x * y % 2 + x * y % 3) % 2 == 0
                default: ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if flip { modules[y][x].toggle() }
            } }
        }

        /// The standard's four penalty rules.
        func penalty() -> Int {
            var score = 0
            func lines(_ transpose: Bool) -> [[Bool]] {
                transpose ? (0..<size).map { x in (0..<size).map { modules[$0][x] } } : modules
            }
            let finderLike: [[Bool]] = [
                [true, false, true, true, true, false, true, false, false, false, false],
                [false, false, false, false, true, false, true, true, true, false, true],
            ]
            for t in [false, true] {
                for line in lines(t) {
                    var run = 1
                    for i in 1...size {
                        if i < size && line[i] == line[i - 1] { run += 1; continue }
                        if run >= 5 { score += 3 + run - 5 }
                        run = 1
                    }
                    if size >= 11 {
                        for i in 0...(size - 11) where finderLike.contains(where: { Array(line[i..<i + 11]) == $0 }) { score += 40 }
                    }
                }
            }
            for y in 0..<size - 1 { for x in 0..<size - 1 {
                let c = modules[y][x]
                if c == modules[y][x + 1] && c == modules[y + 1][x] && c == modules[y + 1][x + 1] { score += 3 }
            } }
            let dark = modules.reduce(0) { $0 + $1.filter { $0 }.count }
            let total = size * size
            score += abs(dark * 20 - total * 10) / total * 10
            return score
        }
    }
}
