import Crypto
import Foundation
import XinyongCore

/// A 32-byte SHA-256 value: a leaf hash, a node hash or a tree head.
public typealias Hash = [UInt8]

/// The Merkle tree of RFC 9162 section 2.1 (the hashing of RFC 6962, unchanged): leaf hash =
/// SHA-256(0x00 ‖ data), node hash = SHA-256(0x01 ‖ left ‖ right), the tree of n leaves split at
/// the largest power of two smaller than n. Everything here works on leaf hashes (the log stores
/// them), so a leaf's data can later be redacted without changing any proof.
public enum Merkle {
    /// MTH({}): the hash of the empty tree, SHA-256 of nothing.
    public static let emptyRoot: Hash = Array(SHA256.hash(data: [UInt8]()))

    public static func leafHash(_ data: some Sequence<UInt8>) -> Hash {
        leafHash(Array(data))
    }

    public static func leafHash(_ data: [UInt8]) -> Hash {
        var h = SHA256()
        h.add(byte: 0x00)
        h.add(data)
        return h.bytes()
    }

    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var h = SHA256()
        h.add(byte: 0x01)
        h.add(left)
        h.add(right)
        return h.bytes()
    }

    /// The largest power of two strictly smaller than `n` (n ≥ 2).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// MTH(D[n]) over leaf hashes.
    public static func root(_ leaves: ArraySlice<Hash>) -> Hash {
        switch leaves.count {
        case 0: return emptyRoot
        case 1: return leaves.first!
        default:
            let k = split(leaves.count), start = leaves.startIndex
            return nodeHash(root(leaves[start..<start + k]), root(leaves[(start + k)...]))
        }
    }

    public static func root(_ leaves: [Hash]) -> Hash { root(leaves[...]) }

    /// PATH(m, D[n]) (RFC 9162 2.1.3.1): the audit path of leaf `index` in the tree of `leaves`.
    public static func inclusionProof(index: Int, leaves: ArraySlice<Hash>) -> [Hash] {
        precondition(index >= 0 && index < leaves.count, "index outside the tree")
        guard leaves.count > 1 else { return [] }
        let k = split(leaves.count), start = leaves.startIndex
        let left = leaves[start..<start + k], right = leaves[(start + k)...]
        return index < k ? inclusionProof(index: index, leaves: left) + [root(right)]
                         : inclusionProof(index: index - k, leaves: right) + [root(left)]
    }

    /// PROOF(m, D[n]) (RFC 9162 2.1.4.1): that the tree of the first `from` leaves is a prefix of `leaves`.
    public static func consistencyProof(from m: Int, leaves: ArraySlice<Hash>) -> [Hash] {
        precondition(m >= 0 && m <= leaves.count, "size outside the tree")
        guard m > 0, m < leaves.count else { return [] }
        return subproof(m, leaves, complete: true)
    }

    static func subproof(_ m: Int, _ d: ArraySlice<Hash>, complete: Bool) -> [Hash] {
        if m == d.count { return complete ? [] : [root(d)] }
        let k = split(d.count), start = d.startIndex
        let left = d[start..<start + k], right = d[(start + k)...]
        return m <= k ? subproof(m, left, complete: complete) + [root(right)]
                      : subproof(m - k, right, complete: false) + [root(left)]
    }

    /// Verifies an inclusion proof as RFC 9162 2.1.3.2 specifies.
    public static func verifyInclusion(index: UInt64, size: UInt64, leafHash: Hash, proof: [Hash], root: Hash) -> Bool {
        guard index < size else { return false }
        var fn = index, sn = size - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    repeat { fn >>= 1; sn >>= 1 } while fn & 1 == 0 && fn != 0
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1; sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Verifies a consistency proof as RFC 9162 2.1.4.2 specifies; equal sizes need an empty proof
    /// and equal roots, and the empty tree is a prefix of every tree.
    public static func verifyConsistency(from first: UInt64, to second: UInt64, proof: [Hash], firstRoot: Hash, secondRoot: Hash) -> Bool {
        guard first <= second else { return false }
        if first == 0 { return proof.isEmpty && firstRoot == emptyRoot }
        if first == second { return proof.isEmpty && firstRoot == secondRoot }
        guard !proof.isEmpty else { return false }
        var path = proof
        if first & (first - 1) == 0 { path.insert(firstRoot, at: 0) }   // an exact power of two
        var fn = first - 1, sn = second - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = path[0], sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr); sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    repeat { fn >>= 1; sn >>= 1 } while fn & 1 == 0 && fn != 0
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1; sn >>= 1
        }
        return fr == firstRoot && sr == secondRoot && sn == 0
    }
}

/// SHA-256 fed from contiguous bytes. swift-crypto's `update(data:)` walks any `DataProtocol` by
/// regions and `Array(finalize())` copies the digest byte by byte through its iterator; both were
/// a tenth of the audit's time, which hashes five times per event.
extension SHA256 {
    @inline(__always) public mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update(bufferPointer: $0) }
    }

    @inline(__always) public mutating func add(byte: UInt8) {
        withUnsafeBytes(of: byte) { update(bufferPointer: $0) }
    }

    /// The decimal digits of `n` (ASCII, as `String(n)` spells them) without building a string.
    public mutating func add(decimal n: Int64) {
        withDecimalDigits(n) { update(bufferPointer: $0) }
    }

    /// The digest as a byte array.
    public func bytes() -> [UInt8] {
        finalize().withUnsafeBytes { Array($0) }
    }
}

/// The ASCII decimal digits of `n`, as `String(n)` writes them, passed to `body` from the stack.
@inline(__always) public func withDecimalDigits<R>(_ n: Int64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
        var i = 20
        var v = n.magnitude
        repeat {
            i -= 1
            buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        } while v > 0
        if n < 0 { i -= 1; buffer[i] = UInt8(ascii: "-") }
        return try body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[i...]))
    }
}

/// HMAC-SHA256 (RFC 2104) under one fixed key, keyed once: each code copies the two SHA-256 states
/// that already absorbed the padded key and feeds them bytes from the stack. Equal to swift-crypto's
/// `HMAC<SHA256>` of the same key and text (tested).
public struct KeyedSHA256: @unchecked Sendable {
    // Never mutated in place, only copied (swift-crypto's digest states are copy-on-write), so
    // sharing one between threads is safe although SHA256 is not declared Sendable.
    private let inner: SHA256
    private let outer: SHA256

    public init(key: [UInt8]) {
        var k = key.count > 64 ? Array(SHA256.hash(data: key)) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        var i = SHA256(), o = SHA256()
        i.add(k.map { $0 ^ 0x36 })
        o.add(k.map { $0 ^ 0x5c })
        inner = i
        outer = o
    }

    /// The code of the ASCII text `label` followed by the decimal digits of `n` (`"record:42"`).
    public func code(label: StaticString, _ n: Int64) -> [UInt8] {
        var i = inner
        label.withUTF8Buffer { i.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        i.add(decimal: n)
        var o = outer
        i.finalize().withUnsafeBytes { o.update(bufferPointer: $0) }
        return o.bytes()
    }
}
