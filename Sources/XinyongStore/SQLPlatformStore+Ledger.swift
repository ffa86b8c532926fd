import Foundation
import SQLKit
import XinyongCore
import XinyongLedger

extension SQLPlatformStore: LedgerStore {
    /// Leaves are numbered 0, 1, 2, … without gaps, so the size is the last index + 1 (an index
    /// lookup; `count(*)` read the whole table on SQLite).
    public func ledgerSize() async throws -> UInt64 {
        try await Self.size(db)
    }

    static func size(_ db: any SQLDatabase) async throws -> UInt64 {
        UInt64((try await db.raw("SELECT max(idx) AS m FROM ledger_leaves").first(decodingColumn: "m", as: Int64?.self) ?? nil).map { $0 + 1 } ?? 0)
    }

    /// Two lists merged by time, each keeping its own order (ties: change-log events first).
    static func merge(_ a: [LedgerEvent], _ b: [LedgerEvent], limit: Int) -> [LedgerEvent] {
        var out: [LedgerEvent] = []
        out.reserveCapacity(min(limit, a.count + b.count))
        var i = 0, j = 0
        while out.count < limit && (i < a.count || j < b.count) {
            if j >= b.count || (i < a.count && a[i].at <= b[j].at) { out.append(a[i]); i += 1 } else { out.append(b[j]); j += 1 }
        }
        return out
    }

    /// The change-log events after `seq`, each with its record's fields at that version.
    static func ledgerEvents(_ db: any SQLDatabase, after seq: Int64, limit: Int) async throws -> [LedgerEvent] {
        // Columns read one by one: a keyed `Decodable` row was 18% of sequencing.
        try await db.raw("""
            SELECT c.seq, c.at, c.event, c.item_code, c.record_id, c.version, c.subject_id, COALESCE(v.fields, r.fields) AS fields
            FROM change_log c
            LEFT JOIN credit_record_versions v ON v.record_id = c.record_id AND v.version = c.version
            LEFT JOIN credit_records r ON r.id = c.record_id AND r.version = c.version
            WHERE c.seq > \(bind: seq) ORDER BY c.seq LIMIT \(bind: limit)
            """).all().map { row in
            LedgerEvent(seq: try row.decode(column: "seq", as: Int64.self), at: try row.decode(column: "at", as: Int64.self),
                        event: try row.decode(column: "event", as: String.self), item: try row.decode(column: "item_code", as: String.self),
                        recordID: try row.decode(column: "record_id", as: Int64.self), version: try row.decode(column: "version", as: Int.self),
                        fields: try row.decode(column: "fields", as: String?.self) ?? "", subjectID: try row.decode(column: "subject_id", as: Int64?.self))
        }
    }

    public func leafData(_ e: LedgerEvent, version: Int) -> [UInt8] {
        LeafEncoding.data(e, salt: e.seq < 0 ? vault.ledgerSalt(checkID: e.recordID) : vault.ledgerSalt(recordID: e.recordID),
                          subjectKey: e.subjectID.map { vault.ledgerSubjectKey(subjectID: $0) }, version: version)
    }

    /// Answered checks after check `id`, each with its stored answers in order.
    static func checkEvents(_ db: any SQLDatabase, after id: Int64, limit: Int) async throws -> [LedgerEvent] {
        struct Row: Decodable { var id: Int64; var at: Int64; var matter: String }
        let checks = try await db.raw("SELECT id, at, matter FROM checks WHERE id > \(bind: id) ORDER BY id LIMIT \(bind: limit)").all(decoding: Row.self)
        guard let first = checks.first, let last = checks.last else { return [] }
        struct Answer: Decodable { var check_id: Int64; var answer: String }
        var answers: [Int64: [String]] = [:]
        for a in try await db.raw("""
            SELECT check_id, answer FROM check_answers WHERE check_id BETWEEN \(bind: first.id) AND \(bind: last.id) ORDER BY check_id, position
            """).all(decoding: Answer.self) {
            answers[a.check_id, default: []].append(a.answer)
        }
        return checks.map {
            LedgerEvent(seq: -$0.id, at: $0.at, event: "check.answered", item: $0.matter, recordID: $0.id, version: 0,
                        fields: (answers[$0.id] ?? []).joined(separator: "\n"))
        }
    }

    public func ledgerCheckEvents(after id: Int64, limit: Int) async throws -> [LedgerEvent] {
        try await Self.checkEvents(db, after: id, limit: limit)
    }

    public func ledgerEvents(after seq: Int64, limit: Int) async throws -> [LedgerEvent] {
        try await Self.ledgerEvents(db, after: seq, limit: limit)
    }

    public func ledgerLeaves(from index: UInt64, limit: Int) async throws -> [LoggedLeaf] {
        struct Row: Decodable { var idx: Int64; var seq: Int64; var data: String }
        return try await db.raw("""
            SELECT idx, seq, data FROM ledger_leaves WHERE idx >= \(bind: Int64(index)) ORDER BY idx LIMIT \(bind: max(1, limit))
            """).all(decoding: Row.self).map { LoggedLeaf(index: UInt64($0.idx), seq: $0.seq, data: Array($0.data.utf8)) }
    }

    public func checkpoints() async throws -> [StoredCheckpoint] {
        struct Row: Decodable { var size: Int64; var root_hash: String; var note: String; var at: Int64 }
        return try await db.raw("SELECT size, root_hash, note, at FROM ledger_checkpoints ORDER BY size").all(decoding: Row.self).map {
            StoredCheckpoint(size: UInt64($0.size), rootHash: Hex.decode($0.root_hash) ?? [], note: $0.note, at: Clock.date($0.at))
        }
    }

    public func sequenceLedger(limit: Int) async throws -> UInt64 {
        let dialect = database.dialect
        return try await database.transaction { db in
            // One sequencer at a time (SQLite has one writer already).
            if dialect == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(72610002)").run() }
            // Two sources, each continued after its last logged item: change-log events (positive
            // seq) and answered checks (seq = −check id). They are merged by time, which keeps each
            // source's own order, and the first `limit` are logged.
            let size = try await Self.size(db)
            let lastChange = try await db.raw("SELECT max(seq) AS m FROM ledger_leaves WHERE seq > 0").first(decodingColumn: "m", as: Int64?.self) ?? nil
            let lastCheck = try await db.raw("SELECT min(seq) AS m FROM ledger_leaves WHERE seq < 0").first(decodingColumn: "m", as: Int64?.self) ?? nil
            let changes = try await Self.ledgerEvents(db, after: lastChange ?? 0, limit: max(1, limit))
            let checks = try await Self.checkEvents(db, after: -(lastCheck ?? 0), limit: max(1, limit))
            let events = Self.merge(changes, checks, limit: max(1, limit))
            guard !events.isEmpty else { return size }
            return try await Self.append(db, at: size, seqs: events.map(\.seq), data: events.map { self.leafData($0, version: LeafEncoding.version) })
        }
    }

    /// Appends leaves at `size` with the subtree hashes they complete (inside the caller's transaction).
    static func append(_ db: any SQLDatabase, at size: UInt64, seqs: [Int64], data: [[UInt8]]) async throws -> UInt64 {
        let frontier = try await nodes(db, NodeProofs.rootNodes(size: size))
        let nodes = try NodeProofs.append(leaves: data.map { Merkle.leafHash($0) }, at: size, frontier: frontier)
        for chunk in Array(data.indices).chunked(1000) {
            let rows: [SQLQueryString] = chunk.map { i in
                "(\(bind: Int64(size) + Int64(i)), \(bind: seqs[i]), \(bind: String(decoding: data[i], as: UTF8.self)))"
            }
            try await db.raw("INSERT INTO ledger_leaves (idx, seq, data) VALUES \(rows.joined(separator: ", "))").run()
        }
        for chunk in nodes.sorted(by: { $0.key < $1.key }).chunked(1000) {
            let rows: [SQLQueryString] = chunk.map { "(\(bind: $0.key.key), \(bind: Hex.encode($0.value)))" }
            try await db.raw("INSERT INTO ledger_nodes (id, hash) VALUES \(rows.joined(separator: ", "))").run()
        }
        return size + UInt64(data.count)
    }

    /// For `xinyong bench-ledger` only: appends `count` synthetic leaves (`{"bench":n}`) to the log
    /// of a scratch database, to measure proofs at sizes the demo data does not reach. Refused on a
    /// database with any change-log event or check, so it can never touch a real log.
    public func appendSyntheticLedgerLeaves(count: Int) async throws -> UInt64 {
        try await database.transaction { db in
            let events = try await db.raw("SELECT (SELECT count(*) FROM (SELECT 1 FROM change_log LIMIT 1) a) + (SELECT count(*) FROM (SELECT 1 FROM checks LIMIT 1) b) AS n")
                .first(decodingColumn: "n", as: Int64.self) ?? 0
            guard events == 0 else { throw DomainError.conflict("只能在没有任何变更事件和核查记录的空白基准库上生成合成日志条目") }
            let size = try await Self.size(db)
            let seqs = (0..<Int64(count)).map { Int64(size) + $0 + 1 }
            return try await Self.append(db, at: size, seqs: seqs, data: seqs.map { Array("{\"bench\":\($0)}".utf8) })
        }
    }

    static func nodes(_ db: any SQLDatabase, _ ids: [NodeID]) async throws -> [NodeID: Hash] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable { var id: Int64; var hash: String }
        var out: [NodeID: Hash] = [:]
        for part in ids.map(\.key).chunked(500) {
            for r in try await db.raw("SELECT id, hash FROM ledger_nodes WHERE id IN (\(binds: Array(part)))").all(decoding: Row.self) {
                out[NodeID(key: r.id)] = Hex.decode(r.hash)
            }
        }
        return out
    }

    public func ledgerNodes(_ ids: [NodeID]) async throws -> [NodeID: Hash] {
        try await Self.nodes(db, ids)
    }

    public func ledgerEntry(index: UInt64) async throws -> (data: [UInt8], leafHash: Hash)? {
        guard let text = try await db.raw("SELECT data FROM ledger_leaves WHERE idx = \(bind: Int64(index))")
            .first(decodingColumn: "data", as: String.self) else { return nil }
        let data = Array(text.utf8)
        return (data, Merkle.leafHash(data))
    }

    public func saveCheckpoint(_ c: StoredCheckpoint, keyHash: String) async throws {
        try await db.raw("""
            INSERT INTO ledger_checkpoints (size, root_hash, note, key_hash, at)
            VALUES (\(bind: Int64(c.size)), \(bind: Hex.encode(c.rootHash)), \(bind: c.note), \(bind: keyHash), \(bind: Clock.millis(c.at)))
            ON CONFLICT (size) DO NOTHING
            """).run()
    }

    public func checkpoint(size: UInt64?) async throws -> StoredCheckpoint? {
        struct Row: Decodable { var size: Int64; var root_hash: String; var note: String; var at: Int64 }
        let filter: SQLQueryString = size.map { "WHERE size = \(bind: Int64($0))" } ?? ""
        return try await db.raw("SELECT size, root_hash, note, at FROM ledger_checkpoints \(filter) ORDER BY size DESC LIMIT 1")
            .first(decoding: Row.self).map {
                StoredCheckpoint(size: UInt64($0.size), rootHash: Hex.decode($0.root_hash) ?? [], note: $0.note, at: Clock.date($0.at))
            }
    }

    public func ledgerKeys() async throws -> [String] {
        try await db.raw("SELECT verifier_key FROM ledger_keys ORDER BY created_at DESC, key_hash").all(decodingColumn: "verifier_key", as: String.self)
    }

    public func registerLedgerKey(_ verifierKey: String, keyHash: String) async throws {
        try await db.raw("""
            INSERT INTO ledger_keys (key_hash, verifier_key, created_at) VALUES (\(bind: keyHash), \(bind: verifierKey), \(bind: Clock.millis()))
            ON CONFLICT (key_hash) DO NOTHING
            """).run()
    }
}
