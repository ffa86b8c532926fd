import CCryptoBoringSSL
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
        var h = HashState()
        h.add(byte: 0x00)
        h.add(data)
        return h.bytes()
    }

    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var h = HashState()
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

/// SHA-256 as a plain value: BoringSSL's own state (the one swift-crypto wraps), so copying a state
/// is copying 112 bytes and finishing one writes the digest where it is asked to. swift-crypto's
/// `SHA256` keeps its state in a class, copied on write: every copy of a keyed state and every
/// `finalize()` allocated one, and the audit hashes five times per event (two keyed codes, the
/// content digest, the subject commitment, the leaf hash); that machinery was a third of the
/// recomputation. Hash values are the same (the tests check RFC 9162's vectors and HMAC<SHA256>).
public struct HashState: @unchecked Sendable {   // a C struct of numbers and bytes, no pointers
    private var context = SHA256_CTX()

    @inline(__always) public init() { CCryptoBoringSSL_SHA256_Init(&context) }

    @inline(__always) public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        if !bytes.isEmpty { CCryptoBoringSSL_SHA256_Update(&context, bytes.baseAddress, bytes.count) }
    }

    @inline(__always) public mutating func add(_ bytes: [UInt8]) { bytes.withUnsafeBytes { add($0) } }

    @inline(__always) public mutating func add(byte: UInt8) { withUnsafeBytes(of: byte) { add($0) } }

    @inline(__always) public mutating func add(_ text: StaticString) { text.withUTF8Buffer { add(UnsafeRawBufferPointer($0)) } }

    /// The decimal digits of `n` (ASCII, as `String(n)` spells them) without building a string.
    @inline(__always) public mutating func add(decimal n: Int64) { withDecimalDigits(n) { add($0) } }

    /// Writes the 32-byte digest at `out` (the state is used up).
    @inline(__always) public mutating func finish(into out: UnsafeMutableRawPointer) {
        CCryptoBoringSSL_SHA256_Final(out.assumingMemoryBound(to: UInt8.self), &context)
    }

    /// The digest as a byte array.
    public mutating func bytes() -> Hash {
        Hash(unsafeUninitializedCapacity: 32) { b, n in
            finish(into: b.baseAddress!)
            n = 32
        }
    }

    /// Passes the 32-byte digest to `body` from the stack.
    @inline(__always) public mutating func withDigest<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var d: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &d) { b in
            finish(into: b.baseAddress!)
            return try body(UnsafeRawBufferPointer(b))
        }
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
public struct KeyedSHA256: Sendable {
    private let inner: HashState
    private let outer: HashState

    public init(key: [UInt8]) {
        var k = key.count > 64 ? Array(SHA256.hash(data: key)) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        var i = HashState(), o = HashState()
        i.add(k.map { $0 ^ 0x36 })
        o.add(k.map { $0 ^ 0x5c })
        inner = i
        outer = o
    }

    /// The code of the ASCII text `label` followed by the decimal digits of `n` (`"record:42"`).
    public func code(label: StaticString, _ n: Int64) -> [UInt8] {
        var i = inner
        i.add(label)
        i.add(decimal: n)
        var o = outer
        i.withDigest { o.add($0) }
        return o.bytes()
    }
}
