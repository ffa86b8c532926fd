import Crypto
import Foundation
import XinyongCore

/// One change-log event as the transparency log takes it in — or an answered credit check:
/// `seq` = −check id, `event` `check.answered`, `item` the matter, `recordID` the check id, and
/// `fields` the stored answers (one JSON line per subject, in order), so the log holds what the
/// platform told a department without holding who was checked.
public struct LedgerEvent: Sendable, Equatable {
    public var seq: Int64
    public var at: Int64
    public var event: String
    public var item: String
    public var recordID: Int64
    public var version: Int
    /// The record's stored fields at that version (sorted JSON, identity numbers already keyed
    /// hashes) as UTF-8 bytes: only ever hashed, so never checked and kept as a `String`.
    public var fields: [UInt8]
    /// The subject the record belonged to at that event (nil while it waits to be linked).
    public var subjectID: Int64?
    public init(seq: Int64, at: Int64, event: String, item: String, recordID: Int64, version: Int, fields: [UInt8], subjectID: Int64? = nil) {
        self.seq = seq; self.at = at; self.event = event; self.item = item; self.recordID = recordID; self.version = version; self.fields = fields
        self.subjectID = subjectID
    }

    public init(seq: Int64, at: Int64, event: String, item: String, recordID: Int64, version: Int, fields: String, subjectID: Int64? = nil) {
        self.init(seq: seq, at: at, event: event, item: item, recordID: recordID, version: version, fields: Array(fields.utf8), subjectID: subjectID)
    }
}

/// The leaf data of an event: canonical JSON (keys sorted, no spaces) of the event's sequence
/// number, time, kind, catalog item, record id and version, and a digest of the record's content
/// salted per record — SHA-256(salt ‖ fields) — so the published log carries no personal data,
/// and whoever holds a record's fields and salt (a report) can show the record is the one logged.
///
/// Version 2 adds `subject`: SHA-256(subject key ‖ decimal sequence number), a commitment to the
/// subject that differs in every leaf (the log does not even show which leaves share a subject).
/// A report reveals its subject's key, and with it anyone holding the log can find every leaf of
/// that subject up to a tree size, which is how a "no record" statement is checked. Version 1
/// leaves (logged before) are kept and recomputed as version 1 by the audit.
public enum LeafEncoding {
    public static let version = 2

    public static func digest(fields: String, salt: [UInt8]) -> Hash {
        digest(fields: Array(fields.utf8), salt: salt)
    }

    public static func digest(fields: [UInt8], salt: [UInt8]) -> Hash {
        var h = digestState(fields: fields, salt: salt)
        return h.bytes()
    }

    public static func subjectCommitment(seq: Int64, subjectKey: [UInt8]) -> Hash {
        var h = commitmentState(seq: seq, subjectKey: subjectKey)
        return h.bytes()
    }

    private static func digestState(fields: [UInt8], salt: [UInt8]) -> HashState {
        var h = HashState()
        h.add(salt)
        h.add(fields)
        return h
    }

    private static func commitmentState(seq: Int64, subjectKey: [UInt8]) -> HashState {
        var h = HashState()
        h.add(subjectKey)
        h.add(decimal: seq)
        return h
    }

    private static let versionKey = Array(",\"v\":".utf8)

    /// The encoding version a logged leaf was written in (1 when it says nothing else).
    /// (Keys are sorted, so `"v":` is the last key but one: found from the end without parsing.)
    public static func version(of data: [UInt8]) -> Int {
        let key = versionKey
        guard data.count > key.count else { return 1 }
        var i = data.count - key.count
        while i >= 0 {
            if data[i] == key[0] && data[i..<i + key.count].elementsEqual(key) {
                var n = 0, j = i + key.count
                while j < data.count, data[j] >= 0x30, data[j] <= 0x39 { n = n * 10 + Int(data[j] - 0x30); j += 1 }
                return n == 0 ? 1 : n
            }
            i -= 1
        }
        return 1
    }

    public static func data(_ e: LedgerEvent, salt: [UInt8], subjectKey: [UInt8]?, version: Int = LeafEncoding.version) -> [UInt8] {
        // Written as bytes (no string building per leaf: the sequencer encodes every event).
        var w = JSONBytes(capacity: 240)
        w.raw("{\"at\":"); w.number(e.at)
        var d = digestState(fields: e.fields, salt: salt)
        w.raw(",\"digest\":"); d.withDigest { w.hex($0) }
        w.raw(",\"event\":"); w.string(e.event)
        w.raw(",\"item\":"); w.string(e.item)
        w.raw(",\"record\":"); w.number(e.recordID)
        w.raw(",\"seq\":"); w.number(e.seq)
        if version >= 2, let key = subjectKey {
            var c = commitmentState(seq: e.seq, subjectKey: key)
            w.raw(",\"subject\":"); c.withDigest { w.hex($0) }
        }
        w.raw(",\"v\":"); w.number(Int64(version))
        w.raw(",\"version\":"); w.number(Int64(e.version))
        w.out.append(UInt8(ascii: "}"))
        return w.out
    }
}

/// Byte arrays compared with `memcmp` (`==` compared them element by element, generically).
func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } }
}

/// The leaf encoding's writer. (A struct's own methods, not functions capturing the buffer: those
/// had every append checked for exclusive access at run time.)
struct JSONBytes {
    var out: [UInt8] = []
    init(capacity: Int) { out.reserveCapacity(capacity) }

    mutating func raw(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
    mutating func number(_ n: Int64) { withDecimalDigits(n) { out.append(contentsOf: $0) } }

    mutating func hex(_ bytes: UnsafeRawBufferPointer) {
        out.append(UInt8(ascii: "\""))
        Hex.append(bytes, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// `"` and `\` escaped, control characters as \u00xx, everything else as it is. (Not
    /// `JSONText.appendString`, which writes \n, \t … short: logged leaves are recomputed byte for
    /// byte, so this encoding may never change.)
    mutating func string(_ s: String) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0..<0x20: raw("\\u00"); Hex.append([b], to: &out)
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// A leaf's data read back.
public struct LeafData: Sendable, Equatable, Codable {
    public var at: Int64
    public var digest: String
    public var event: String
    public var item: String
    public var record: Int64
    public var seq: Int64
    public var subject: String?
    public var v: Int
    public var version: Int

    public init(_ bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(LeafData.self, from: Data(bytes))
    }

    /// Whether the leaf's subject commitment opens with `subjectKey`.
    public func belongs(toSubjectKey key: [UInt8]) -> Bool {
        subject == Hex.encode(LeafEncoding.subjectCommitment(seq: seq, subjectKey: key))
    }

    /// Events after which the record no longer counts against (or for) its subject.
    public static let endingEvents: Set<String> = ["record.revoked", RecordEffect.repair.rawValue, RecordEffect.stop.rawValue, "record.publicity_ended"]
}

public struct StoredCheckpoint: Sendable, Equatable {
    public var size: UInt64
    public var rootHash: Hash
    public var note: String
    public var at: Date
    public init(size: UInt64, rootHash: Hash, note: String, at: Date) { self.size = size; self.rootHash = rootHash; self.note = note; self.at = at }
}

/// How a sequencer pass shares the machine: at most `batch` items per transaction and, between two
/// transactions, a rest of `rest` times as long as the last one took.
///
/// The server sequences every few seconds beside the credit checks it answers. A pass of 2,500
/// checks in one transaction kept both processors of a 2-core machine busy for 60–120 ms (its
/// PostgreSQL backend, the event loop reading the answers, the hashing), and the checks arriving
/// meanwhile waited for them: on PostgreSQL with 16 steady clients, about half the checks slower
/// than 5 ms fell inside those passes. In batches of 250 with an equal rest the same work is spread
/// over a few hundred milliseconds (about 10,000 items a second on PostgreSQL, several times what
/// the server answers) and fewer checks wait behind it (figures in the README).
public struct SequencerPace: Sendable, Equatable {
    public var batch: Int
    public var rest: Double
    public init(batch: Int, rest: Double) {
        self.batch = max(1, batch)
        self.rest = max(0, rest)
    }

    /// Catching up alone (the command line, tests): large batches, no rest.
    public static let flatOut = SequencerPace(batch: 10_000, rest: 0)
    /// Beside requests (the server's sequencer).
    public static let besideRequests = SequencerPace(batch: 250, rest: 1)
}

/// The log's storage: leaves appended in change-log order by a sequencer that neither skips nor
/// reorders (each run continues after the last logged sequence number, in one transaction with
/// the subtree hashes it completes), signed checkpoints and the verifier keys ever used.
public protocol LedgerStore: Sendable {
    func ledgerSize() async throws -> UInt64
    /// Logs up to `limit` change-log events after the last one logged; returns the new size.
    func sequenceLedger(limit: Int) async throws -> UInt64
    /// Logs everything pending, in batches of `batch`, resting between two batches `rest` times as
    /// long as the last one took (0: not at all); returns the new size.
    func sequencePending(batch: Int, rest: Double) async throws -> UInt64
    func ledgerNodes(_ ids: [NodeID]) async throws -> [NodeID: Hash]
    func ledgerEntry(index: UInt64) async throws -> (data: [UInt8], leafHash: Hash)?
    func saveCheckpoint(_ c: StoredCheckpoint, keyHash: String) async throws
    /// The checkpoint of exactly `size`, or the newest when nil.
    func checkpoint(size: UInt64?) async throws -> StoredCheckpoint?
    /// Every verifier key the log has signed with, current first.
    func ledgerKeys() async throws -> [String]
    func registerLedgerKey(_ verifierKey: String, keyHash: String) async throws
    /// For the audit: the change-log events after `seq` and the answered checks after check `id`
    /// as the sequencer reads them, their leaf data as the sequencer encodes it, the logged leaves
    /// from an index, and every checkpoint.
    func ledgerEvents(after seq: Int64, limit: Int) async throws -> [LedgerEvent]
    func ledgerCheckEvents(after id: Int64, limit: Int) async throws -> [LedgerEvent]
    func leafData(_ e: LedgerEvent, version: Int) -> [UInt8]
    func ledgerLeaves(from index: UInt64, limit: Int) async throws -> [LoggedLeaf]
    func checkpoints() async throws -> [StoredCheckpoint]
}

/// One source of the audit's walk, read in batches (the next batch read ahead).
struct AuditSource {
    var items: [LedgerEvent] = []   // reversed: the next is last
    var done = false
    var ahead: Task<[LedgerEvent], any Error>?
}

public struct LoggedLeaf: Sendable, Equatable {
    public var index: UInt64
    public var seq: Int64
    public var data: [UInt8]
    public init(index: UInt64, seq: Int64, data: [UInt8]) { self.index = index; self.seq = seq; self.data = data }
}

/// What `xinyong ledger audit` found: the log recomputed from the database's events and checked
/// against the logged leaves, the stored subtree hashes and every signed checkpoint.
public struct LedgerAudit: Sendable, Equatable {
    public var events = 0
    public var leaves = 0
    /// Events and checks not logged yet (after the last logged one of their source).
    public var pendingEvents = 0
    public var checkpoints = 0
    public var problems: [String] = []
    public var ok: Bool { problems.isEmpty }
    public init() {}
}

extension LedgerStore {
    /// Recomputes every leaf from the change log and the records, compares it with the logged
    /// leaf (an event changed, removed or inserted after it was logged shows as a difference),
    /// rebuilds the tree and checks each checkpoint's root, signature and the stored hashes.
    /// With `checkNodes`, every stored subtree hash is compared with the rebuilt one, not only those
    /// on the checkpoints' root paths (one more read of the tiles). Batches of 30,000: fewer points
    /// where the processors wait for each other than 10,000 (7.0-7.4 s against 7.5-8.0 s on 892,923 leaves).
    public func audit(verifierKeys: [String], batch: Int = 30_000, checkNodes: Bool = false) async throws -> LedgerAudit {
        var report = LedgerAudit()
        let tree = AuditTree(store: self, verifiers: verifierKeys.compactMap { try? NoteVerifier(verifierKey: $0) },
                             checkpoints: try await self.checkpoints().sorted { $0.size < $1.size }, checkNodes: checkNodes)
        // One batch's tree work runs while the next batch is matched and recomputed; the batch after
        // waits for it, so the tree takes the batches in order and at most one is held in memory.
        var treeWork: Task<Void, any Error>?
        defer { treeWork?.cancel() }
        func rebuild(_ hashes: [Hash]) async throws {
            try await treeWork?.value
            treeWork = Task { try await tree.add(hashes) }
        }
        func note(_ s: String) { if report.problems.count < 1000 { report.problems.append(s) } }
        // The log has two sources, each logged in its own order: change-log events (leaves with a
        // positive `seq`) and answered checks (`seq` = −check id). The logged leaves are walked in
        // index order, each against the next item of its source (a merge join per source), so one
        // changed, deleted or inserted item is reported once, not as a shift of everything after it.
        var sources = [AuditSource(), AuditSource()]
        func key(_ e: LedgerEvent) -> Int64 { e.seq > 0 ? e.seq : -e.seq }
        func read(_ s: Int, after id: Int64) -> Task<[LedgerEvent], any Error> {
            Task {
                if s == 0 { return try await ledgerEvents(after: id, limit: batch) }
                return try await ledgerCheckEvents(after: id, limit: batch)
            }
        }
        sources[0].ahead = read(0, after: 0)
        sources[1].ahead = read(1, after: 0)
        defer { for s in sources { s.ahead?.cancel() } }
        /// The key of the next item of source `s` (the item itself stays last in `items`).
        func next(_ s: Int) async throws -> Int64? {
            if sources[s].items.isEmpty && !sources[s].done, let ahead = sources[s].ahead {
                let batchItems = try await ahead.value
                if let last = batchItems.last {
                    sources[s].items = batchItems.reversed()
                    sources[s].ahead = read(s, after: key(last))
                } else {
                    sources[s].done = true
                    sources[s].ahead = nil
                }
            }
            return sources[s].items.last.map(key)
        }
        var expectedIndex: UInt64 = 0
        var pending: [Hash] = []
        var leavesAhead = Task { try await ledgerLeaves(from: 0, limit: batch) }
        defer { leavesAhead.cancel() }
        while true {
            let leaves = try await leavesAhead.value
            guard let lastLeaf = leaves.last else { break }
            leavesAhead = Task { try await ledgerLeaves(from: lastLeaf.index + 1, limit: batch) }
            // Each leaf against the next item of its source (cheap), then the leaf data recomputed
            // over the processors, then compared.
            var work: [(leaf: LoggedLeaf, event: LedgerEvent?)] = []
            work.reserveCapacity(leaves.count)
            for l in leaves {
                if l.index != expectedIndex { note("日志条目 \(expectedIndex)–\(l.index - 1) 已从数据库删除") }
                expectedIndex = l.index + 1
                report.leaves += 1
                let s = l.seq > 0 ? 0 : 1
                let id = s == 0 ? l.seq : -l.seq
                // Items of this source before the leaf's were never logged: inserted afterwards.
                while let k = try await next(s), k < id {
                    let e = sources[s].items.removeLast()
                    note(s == 0 ? "变更序号 \(e.seq) 的事件在记入日志之后被插入数据库" : "核查 \(-e.seq) 在记入日志之后被插入数据库")
                    report.events += 1
                }
                if try await next(s) == id {
                    report.events += 1
                    work.append((l, sources[s].items.removeLast()))
                } else {
                    note("日志条目 \(l.index)（\(s == 0 ? "变更序号 \(l.seq)" : "核查 \(-l.seq)")）对应的\(s == 0 ? "事件" : "核查")已从数据库删除")
                    work.append((l, nil))
                }
            }
            let recomputed = await work.concurrentMap { w -> (same: Bool, hash: Hash) in
                guard let e = w.event else { return (true, Merkle.leafHash(w.leaf.data)) }
                let data = self.leafData(e, version: LeafEncoding.version(of: w.leaf.data))
                return (sameBytes(data, w.leaf.data), Merkle.leafHash(data))
            }
            for (w, r) in zip(work, recomputed) {
                if !r.same { note("日志条目 \(w.leaf.index)（\(w.leaf.seq > 0 ? "变更序号 \(w.leaf.seq)" : "核查 \(-w.leaf.seq)")）记录后被改动：数据库中的内容与日志不符") }
                pending.append(r.hash)
            }
            if pending.count >= batch {
                try await rebuild(pending)
                pending = []
            }
        }
        // What follows the last logged item of each source is waiting for the sequencer.
        for s in 0..<2 {
            while try await next(s) != nil { sources[s].items.removeLast(); report.events += 1; report.pendingEvents += 1 }
        }
        try await rebuild(pending)
        try await treeWork?.value
        let (checked, treeProblems) = await tree.finish()
        report.checkpoints = checked
        for p in treeProblems { note(p) }
        return report
    }
}

/// The tree half of the audit: takes the recomputed leaf hashes in log order, keeps the tree's right
/// edge (and, for the thorough audit, compares every subtree hash the batch completes with the
/// stored one), and checks each checkpoint — root, signature, signed text, stored hashes — when
/// the tree reaches its size. An actor, so that it works beside the next batch's recomputation.
actor AuditTree<Store: LedgerStore> {
    let store: Store
    let verifiers: [NoteVerifier]
    let checkNodes: Bool
    var checkpoints: [StoredCheckpoint]
    var checked = 0
    var problems: [String] = []
    /// The right edge of the tree of `size` leaves.
    var frontier: [NodeID: Hash] = [:]
    var size: UInt64 = 0
    /// The right edge at each checkpoint's size inside the batch being added.
    var kept: [UInt64: [NodeID: Hash]] = [:]

    init(store: Store, verifiers: [NoteVerifier], checkpoints: [StoredCheckpoint], checkNodes: Bool) {
        self.store = store; self.verifiers = verifiers; self.checkpoints = checkpoints; self.checkNodes = checkNodes
    }

    func note(_ s: String) { if problems.count < 1000 { problems.append(s) } }

    /// The checkpoints checked, and every problem found (checkpoints beyond the rebuilt log included).
    func finish() -> (checked: Int, problems: [String]) {
        for c in checkpoints { note("检查点 \(c.size) 超过了按数据库事件重建的日志（\(size) 条）") }
        checkpoints = []
        return (checked, problems)
    }

    func add(_ hashes: [Hash]) async throws {
        let wanted = checkpoints.map(\.size).filter { $0 > size && $0 <= size + UInt64(hashes.count) }
        var start = 0
        var computed: [NodeID: Hash] = [:]
        for w in wanted + [size + UInt64(hashes.count)] {
            let count = Int(w - size) - start
            let completed = count > 0
                ? try NodeProofs.append(leaves: Array(hashes[start..<start + count]), at: size + UInt64(start), frontier: frontier) : []
            // Only the new right edge is kept (merging every completed node was a third of this).
            frontier = NodeProofs.rightEdge(size: w, before: frontier, completed: completed)
            if checkNodes { computed.merge(completed) { _, b in b } }
            start += count
            kept[w] = frontier
        }
        // Every stored subtree hash these leaves complete (proofs are served from them).
        if checkNodes {
            let stored = try await store.ledgerNodes(Array(computed.keys))
            let differing = computed.filter { stored[$0.key] != $0.value }.keys.sorted()
            if let first = differing.first {
                note("日志条目 \(size)–\(size + UInt64(hashes.count) - 1) 范围内有 \(differing.count) 个存储的子树哈希与重算的不符"
                     + "（第一个：第 \(first.level) 层第 \(first.index) 个）：据此给出的证明将无法验证")
            }
        }
        size += UInt64(hashes.count)
        while let c = checkpoints.first, c.size <= size {
            checkpoints.removeFirst()
            checked += 1
            let rebuilt = try NodeProofs.root(size: c.size, hashes: kept[c.size] ?? frontier)
            if rebuilt != c.rootHash { note("检查点 \(c.size) 的根哈希与按数据库事件重算的不符：日志签署后事件被改动、删除或插入") }
            if let body = try? SignedNote(c.note) {
                if !verifiers.contains(where: { body.isSigned(by: $0) }) { note("检查点 \(c.size) 的签名无法用已发布的任何公钥验证") }
                let signed = try? Checkpoint(body: body.text)
                if signed?.rootHash != c.rootHash || signed?.size != c.size {
                    note("检查点 \(c.size) 的签名文本与记录的树大小或根哈希不符")
                }
            } else {
                note("检查点 \(c.size) 不是有效的签名文本")
            }
            if (try? await store.root(size: c.size)) != c.rootHash { note("检查点 \(c.size)：存储的子树哈希与检查点不符") }
        }
        kept = [:]
    }
}

extension LedgerStore {
    public func root(size: UInt64) async throws -> Hash {
        try NodeProofs.root(size: size, hashes: try await ledgerNodes(NodeProofs.rootNodes(size: size)))
    }

    public func inclusionProof(index: UInt64, size: UInt64) async throws -> [Hash] {
        try NodeProofs.inclusionProof(index: index, size: size, hashes: try await ledgerNodes(NodeProofs.inclusionNodes(index: index, size: size)))
    }

    public func consistencyProof(from m: UInt64, to n: UInt64) async throws -> [Hash] {
        try NodeProofs.consistencyProof(from: m, to: n, hashes: try await ledgerNodes(NodeProofs.consistencyNodes(from: m, to: n)))
    }

    /// Logs everything pending at full speed, in batches of `batch`; returns the new size.
    public func sequencePending(batch: Int) async throws -> UInt64 {
        try await sequencePending(batch: batch, rest: 0)
    }

    /// Logs what is pending and signs a checkpoint when the tree grew (or none exists yet). `pace`
    /// is how the pass shares the machine (see ``SequencerPace``).
    public func sequenceAndSign(signer: NoteSigner, origin: String, pace: SequencerPace = .flatOut,
                                now: Date = Date()) async throws -> StoredCheckpoint? {
        let size = try await sequencePending(batch: pace.batch, rest: pace.rest)
        if let last = try await checkpoint(size: nil), last.size == size { return nil }
        let root = try await root(size: size)
        let body = Checkpoint(origin: origin, size: size, rootHash: root, extensions: ["timestamp \(Int64(now.timeIntervalSince1970))"]).body
        let c = StoredCheckpoint(size: size, rootHash: root, note: try signer.sign(body), at: now)
        try await saveCheckpoint(c, keyHash: String(format: "%08x", signer.keyHash))
        return c
    }
}
