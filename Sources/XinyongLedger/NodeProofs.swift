/// Proofs from stored subtree hashes, so that a proof at 10,000,000 leaves reads a few dozen
/// hashes instead of the whole tree. The log keeps the hash of every complete, aligned subtree:
/// node (level, index) covers leaves [index·2^level, (index+1)·2^level); level 0 are the leaf
/// hashes. Any range the RFC 9162 recursion meets is such a node, or (on the tree's right edge)
/// a run of them of decreasing size whose hash is their right fold.
public struct NodeID: Hashable, Sendable, Comparable {
    public var level: Int
    public var index: UInt64
    public init(level: Int, index: UInt64) { self.level = level; self.index = index }

    /// One integer per node, for a single-column key: level in the top bits.
    public var key: Int64 { Int64(level) << 48 | Int64(index) }
    public init(key: Int64) { level = Int(key >> 48); index = UInt64(key & ((1 << 48) - 1)) }

    public static func < (a: NodeID, b: NodeID) -> Bool { a.key < b.key }
}

/// Where the log keeps a subtree hash: in tiles laid out as C2SP tlog-tiles lays out its hash
/// tiles (height 8), with each tile's inner levels kept beside its bottom row. Tile (T, k) holds
/// the 256 hashes of tree level 8T from index 256k (its bottom row), then the 128, 64, …, 2 hashes
/// of levels 8T+1 … 8T+7 they make: 510 hashes, 16,320 bytes when full. Every node is in exactly
/// one tile (a tile's own root is in the bottom row of the tile above), so a proof at 10,000,000
/// leaves reads at most a handful of rows, and the right edge's tiles fill up as leaves arrive.
/// A slot not filled yet holds zeros.
public enum HashTile {
    public static let height = 8
    public static let width = 1 << height
    public static let slots = 2 * width - 2
    public static let bytes = slots * 32

    /// The key of the tile holding node `id` (tile level in the top bits, like `NodeID.key`).
    public static func key(of id: NodeID) -> Int64 {
        let h = id.level % height
        return NodeID(level: id.level / height, index: id.index >> UInt64(height - h)).key
    }

    /// The byte offset of the node's hash inside its tile: level h of a tile starts at slot
    /// 512 − 512/2^h (0, 256, 384, …, 508).
    public static func offset(of id: NodeID) -> Int {
        let h = id.level % height
        let slot = (2 * width - (2 * width) >> h) + Int(id.index & UInt64((width >> h) - 1))
        return slot * 32
    }
}

public enum NodeProofs {
    /// The complete aligned subtrees covering [start, end), largest first, when `start` is aligned
    /// to every block that follows (always true of the ranges of the RFC recursion).
    public static func blocks(from start: UInt64, to end: UInt64) -> [NodeID] {
        var out: [NodeID] = []
        var s = start
        while s < end {
            var level = 63 - (end - s).leadingZeroBitCount   // the largest power of two ≤ the rest
            while level > 0 && s & ((1 << UInt64(level)) - 1) != 0 { level -= 1 }
            out.append(NodeID(level: level, index: s >> UInt64(level)))
            s += 1 << UInt64(level)
        }
        return out
    }

    /// The nodes whose hashes the root of the tree of `size` leaves needs.
    public static func rootNodes(size: UInt64) -> [NodeID] { blocks(from: 0, to: size) }

    /// The hash of a range from its blocks' hashes (the right fold: MTH of a right edge).
    static func fold(_ ids: [NodeID], _ hashes: [NodeID: Hash]) throws -> Hash {
        guard !ids.isEmpty else { return Merkle.emptyRoot }
        var acc = try hash(ids.last!, hashes)
        for id in ids.dropLast().reversed() { acc = Merkle.nodeHash(try hash(id, hashes), acc) }
        return acc
    }

    static func hash(_ id: NodeID, _ hashes: [NodeID: Hash]) throws -> Hash {
        guard let h = hashes[id] else { throw LedgerFormatError("缺少节点 \(id.level)/\(id.index)") }
        return h
    }

    /// The ranges whose roots make up PATH(index, D[size]), in proof order.
    static func inclusionRanges(index: UInt64, start: UInt64, end: UInt64) -> [(UInt64, UInt64)] {
        let n = end - start
        guard n > 1 else { return [] }
        let k = UInt64(Merkle.split(Int(n)))
        return index < k ? inclusionRanges(index: index, start: start, end: start + k) + [(start + k, end)]
                         : inclusionRanges(index: index - k, start: start + k, end: end) + [(start, start + k)]
    }

    /// The ranges whose roots make up PROOF(m, D[size]), in proof order.
    static func consistencyRanges(m: UInt64, start: UInt64, end: UInt64, complete: Bool) -> [(UInt64, UInt64)] {
        let n = end - start
        if m == n { return complete ? [] : [(start, end)] }
        let k = UInt64(Merkle.split(Int(n)))
        return m <= k ? consistencyRanges(m: m, start: start, end: start + k, complete: complete) + [(start + k, end)]
                      : consistencyRanges(m: m - k, start: start + k, end: end, complete: false) + [(start, start + k)]
    }

    /// What an inclusion proof needs, and the proof assembled from those hashes.
    public static func inclusionNodes(index: UInt64, size: UInt64) -> [NodeID] {
        Array(Set(inclusionRanges(index: index, start: 0, end: size).flatMap { blocks(from: $0.0, to: $0.1) })).sorted()
    }

    public static func inclusionProof(index: UInt64, size: UInt64, hashes: [NodeID: Hash]) throws -> [Hash] {
        try inclusionRanges(index: index, start: 0, end: size).map { try fold(blocks(from: $0.0, to: $0.1), hashes) }
    }

    public static func consistencyNodes(from m: UInt64, to n: UInt64) -> [NodeID] {
        guard m > 0, m < n else { return [] }
        return Array(Set(consistencyRanges(m: m, start: 0, end: n, complete: true).flatMap { blocks(from: $0.0, to: $0.1) })).sorted()
    }

    public static func consistencyProof(from m: UInt64, to n: UInt64, hashes: [NodeID: Hash]) throws -> [Hash] {
        guard m > 0, m < n else { return [] }
        return try consistencyRanges(m: m, start: 0, end: n, complete: true).map { try fold(blocks(from: $0.0, to: $0.1), hashes) }
    }

    public static func root(size: UInt64, hashes: [NodeID: Hash]) throws -> Hash {
        try fold(rootNodes(size: size), hashes)
    }

    /// The right edge of the tree of `size` leaves (the nodes `rootNodes(size:)` names), from the
    /// edge before a batch and the nodes the batch completed: only edge nodes are kept.
    public static func rightEdge(size: UInt64, before: [NodeID: Hash], completed: [(NodeID, Hash)]) -> [NodeID: Hash] {
        let edge = Set(rootNodes(size: size))
        var out = before.filter { edge.contains($0.key) }
        for (id, h) in completed where edge.contains(id) { out[id] = h }
        return out
    }

    /// The nodes completed by appending leaves [from, to) (level 0 included): what the log stores
    /// with a batch, in the order they complete. `frontier` holds the nodes of the right edge
    /// before the batch (those of `rootNodes(size: from)`), each a left sibling still waiting for
    /// its right one: kept per level, so appending costs two hashes' worth of bookkeeping per leaf.
    public static func append(leaves: [Hash], at from: UInt64, frontier: [NodeID: Hash]) throws -> [(NodeID, Hash)] {
        var waiting = [Hash?](repeating: nil, count: 64)
        for id in rootNodes(size: from) { waiting[id.level] = try hash(id, frontier) }
        var new: [(NodeID, Hash)] = []
        new.reserveCapacity(leaves.count * 2)
        for (offset, leaf) in leaves.enumerated() {
            var index = from + UInt64(offset), level = 0, h = leaf
            new.append((NodeID(level: 0, index: index), leaf))
            while index & 1 == 1 {   // a right child completes its parent
                guard let left = waiting[level] else { throw LedgerFormatError("缺少节点 \(level)/\(index - 1)") }
                waiting[level] = nil
                h = Merkle.nodeHash(left, h)
                level += 1; index >>= 1
                new.append((NodeID(level: level, index: index), h))
            }
            waiting[level] = h
        }
        return new
    }
}
