import Foundation
import PostgresNIO
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
        cursor(try await cursorRead(db, cursorReads[0]), nil, nil).size
    }

    /// Where the log ends, in three reads of one index entry each: its last index, the last
    /// change-log event it holds (positive seq) and the last check (negative seq).
    static let cursorReads = ["SELECT max(idx) AS m FROM ledger_leaves", "SELECT max(seq) AS m FROM ledger_leaves WHERE seq > 0",
                              "SELECT min(seq) AS m FROM ledger_leaves WHERE seq < 0"]

    static func cursor(_ lastIndex: Int64?, _ lastChange: Int64?, _ lastCheck: Int64?) -> LedgerCursor {
        LedgerCursor(size: lastIndex.map { UInt64($0 + 1) } ?? 0, lastChange: lastChange ?? 0, lastCheck: -(lastCheck ?? 0))
    }

    private static func cursorRead(_ db: any SQLDatabase, _ sql: String) async throws -> Int64? {
        try await db.raw(SQLQueryString(sql)).first(decodingColumn: "m", as: Int64?.self) ?? nil
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

    /// The change-log events with their record's fields at that version: the statement's head,
    /// shared by both ways of reading it (bound by the caller: events after a sequence number, in
    /// order, up to a limit).
    static let eventsQuery = """
        SELECT c.seq, c.at, c.event, c.item_code, c.record_id, c.version, c.subject_id, COALESCE(v.fields, r.fields) AS fields
        FROM change_log c
        LEFT JOIN credit_record_versions v ON v.record_id = c.record_id AND v.version = c.version
        LEFT JOIN credit_records r ON r.id = c.record_id AND r.version = c.version
        """

    /// The change-log events after `seq`, each with its record's fields at that version.
    static func ledgerEvents(_ db: any SQLDatabase, after seq: Int64, limit: Int) async throws -> [LedgerEvent] {
        // Columns read one by one: a keyed `Decodable` row was 18% of sequencing.
        try await db.raw("\(unsafeRaw: eventsQuery) WHERE c.seq > \(bind: seq) ORDER BY c.seq LIMIT \(bind: limit)").all().map { row in
            LedgerEvent(seq: try row.decode(column: "seq", as: Int64.self), at: try row.decode(column: "at", as: Int64.self),
                        event: try row.decode(column: "event", as: String.self), item: try row.decode(column: "item_code", as: String.self),
                        recordID: try row.decode(column: "record_id", as: Int64.self), version: try row.decode(column: "version", as: Int.self),
                        fields: try row.decode(column: "fields", as: String?.self) ?? "", subjectID: try row.decode(column: "subject_id", as: Int64?.self))
        }
    }

    /// The same, read in bulk from a SQLite file (the audit's read of the whole log).
    static func ledgerEvents(_ scanner: SQLiteScanner, after seq: Int64, limit: Int) async throws -> [LedgerEvent] {
        try await scanner.rows(eventsQuery + " WHERE c.seq > ?1 ORDER BY c.seq LIMIT ?2", [.int(seq), .int(Int64(limit))]) { row in
            LedgerEvent(seq: row.int64(0), at: row.int64(1), event: row.knownString(2), item: row.knownString(3),
                        recordID: row.int64(4), version: Int(row.int64(5)), fields: row.bytes(7),
                        subjectID: row.isNull(6) ? nil : row.int64(6))
        }
    }

    public func leafData(_ e: LedgerEvent, version: Int) -> [UInt8] {
        LeafEncoding.data(e, salt: e.seq < 0 ? vault.ledgerSalt(checkID: e.recordID) : vault.ledgerSalt(recordID: e.recordID),
                          subjectKey: e.subjectID.map { vault.ledgerSubjectKey(subjectID: $0) }, version: version)
    }

    /// Answered checks after check `id` as log events, each with its answers in order (a batch of
    /// 1,000 subjects is 1,000 answers of ~1 KB: read by column, not through `Decodable`).
    static func checkEvents(_ db: any SQLDatabase, after id: Int64, limit: Int) async throws -> [LedgerEvent] {
        let checks = try await db.raw("SELECT id, at, matter FROM checks WHERE id > \(bind: id) ORDER BY id LIMIT \(bind: limit)").all().map {
            (id: try $0.decode(column: "id", as: Int64.self), at: try $0.decode(column: "at", as: Int64.self),
             matter: try $0.decode(column: "matter", as: String.self))
        }
        guard let first = checks.first, let last = checks.last else { return [] }
        let answers = try await db.raw("""
            SELECT check_id, answer FROM check_answers WHERE check_id BETWEEN \(bind: first.id) AND \(bind: last.id) ORDER BY check_id, position
            """).all().map { (try $0.decode(column: "check_id", as: Int64.self), try $0.decode(column: "answer", as: String.self)) }
        return checkEvents(checks, answers)
    }

    /// The same through the bulk reader of a SQLite file: both statements in one read transaction, one trip.
    static func checkEvents(_ scanner: SQLiteScanner, after id: Int64, limit: Int) async throws -> [LedgerEvent] {
        try await scanner.read { c in
            let checks = try c.query("SELECT id, at, matter FROM checks WHERE id > ?1 ORDER BY id LIMIT ?2", [.int(id), .int(Int64(limit))]) {
                (id: $0.int64(0), at: $0.int64(1), matter: $0.knownString(2))
            }
            guard let first = checks.first, let last = checks.last else { return [] }
            return checkEvents(checks, try c.query("SELECT check_id, answer FROM check_answers WHERE check_id BETWEEN ?1 AND ?2 ORDER BY check_id, position",
                                                   [.int(first.id), .int(last.id)], { ($0.int64(0), $0.string(1)) }))
        }
    }

    /// The events of `checks` with their answers (rows of check id and answer, in order).
    private static func checkEvents(_ checks: [(id: Int64, at: Int64, matter: String)], _ rows: [(Int64, String)]) -> [LedgerEvent] {
        var answers: [Int64: [String]] = [:]
        for (check, answer) in rows { answers[check, default: []].append(answer) }
        return checks.map {
            LedgerEvent(seq: -$0.id, at: $0.at, event: "check.answered", item: $0.matter, recordID: $0.id, version: 0,
                        fields: (answers[$0.id] ?? []).joined(separator: "\n"))
        }
    }

    public func ledgerCheckEvents(after id: Int64, limit: Int) async throws -> [LedgerEvent] {
        if let scanner = database.scanner { return try await Self.checkEvents(scanner, after: id, limit: limit) }
        if database.dialect == .postgres { return try await postgresCheckEvents(after: id, limit: limit) }
        return try await Self.checkEvents(db, after: id, limit: limit)
    }

    /// The same on PostgreSQL through PostgresNIO, each value decoded by its column's position
    /// (SQLKit looks each one up by name: a sequencer pass reads thousands of answers).
    private func postgresCheckEvents(after id: Int64, limit: Int) async throws -> [LedgerEvent] {
        let checks = try await database.postgresRows("SELECT id, at, matter FROM checks WHERE id > \(id) ORDER BY id LIMIT \(Int64(limit))").map { row in
            let (id, at, matter) = try row.decode((Int64, Int64, String).self)
            return (id: id, at: at, matter: matter)
        }
        guard let first = checks.first, let last = checks.last else { return [] }
        let answers = try await database.postgresRows("""
            SELECT check_id, answer FROM check_answers WHERE check_id BETWEEN \(first.id) AND \(last.id) ORDER BY check_id, position
            """).map { try $0.decode((Int64, String).self) }
        return Self.checkEvents(checks, answers)
    }

    public func ledgerEvents(after seq: Int64, limit: Int) async throws -> [LedgerEvent] {
        if let scanner = database.scanner { return try await Self.ledgerEvents(scanner, after: seq, limit: limit) }
        return try await Self.ledgerEvents(db, after: seq, limit: limit)
    }

    public func ledgerLeaves(from index: UInt64, limit: Int) async throws -> [LoggedLeaf] {
        if let scanner = database.scanner {
            return try await scanner.rows("SELECT idx, seq, data FROM ledger_leaves WHERE idx >= ?1 ORDER BY idx LIMIT ?2",
                                          [.int(Int64(index)), .int(Int64(max(1, limit)))]) {
                LoggedLeaf(index: UInt64($0.int64(0)), seq: $0.int64(1), data: $0.bytes(2))
            }
        }
        return try await db.raw("""
            SELECT idx, seq, data FROM ledger_leaves WHERE idx >= \(bind: Int64(index)) ORDER BY idx LIMIT \(bind: max(1, limit))
            """).all().map {
            LoggedLeaf(index: UInt64(try $0.decode(column: "idx", as: Int64.self)), seq: try $0.decode(column: "seq", as: Int64.self),
                       data: Array(try $0.decode(column: "data", as: String.self).utf8))
        }
    }

    public func checkpoints() async throws -> [StoredCheckpoint] {
        struct Row: Decodable { var size: Int64; var root_hash: String; var note: String; var at: Int64 }
        return try await db.raw("SELECT size, root_hash, note, at FROM ledger_checkpoints ORDER BY size").all(decoding: Row.self).map {
            StoredCheckpoint(size: UInt64($0.size), rootHash: Hex.decode($0.root_hash) ?? [], note: $0.note, at: Clock.date($0.at))
        }
    }

    public func sequenceLedger(limit: Int) async throws -> UInt64 {
        try await database.transaction { db in
            let at = try await self.lockedCursor(db)
            return try await self.append(db, self.pendingBatch(db, after: at, limit: limit), at: at)
        }
    }

    /// Logs everything pending in batches of `batch`, reading and encoding the next batch (on
    /// another connection, over the processors) while the last one is written. Each batch is
    /// appended in a transaction that first checks the log still ends where the batch was read
    /// from; if another sequencer ran meanwhile, the batch is read again from the new end.
    ///
    /// It stops after the first batch that is not full: what arrives meanwhile waits for the next
    /// run. Under a steady stream of checks, going on until a read found nothing made it run
    /// without pause, a transaction and a flush for every dozen checks (about 60 a second).
    ///
    /// Between two batches it rests `rest` times as long as the last batch took (see ``SequencerPace``).
    public func sequencePending(batch: Int, rest: Double) async throws -> UInt64 {
        var at = try await Self.cursor(db)
        if try await Self.tilesMissing(db, size: at.size) {
            // A log kept before migration 0017: its tiles are rebuilt even when nothing waits.
            at = try await database.transaction { db in try await self.lockedCursor(db) }
        }
        var next = Task { [at] in try await self.pendingBatch(nil, after: at, limit: batch) }
        defer { next.cancel() }
        while true {
            let started = ContinuousClock.now
            let b = try await next.value
            guard !b.events.isEmpty else { return at.size }
            let expected = at
            at = b.cursorAfter(at)
            let last = b.events.count < batch
            if !last { next = Task { [at] in try await self.pendingBatch(nil, after: at, limit: batch) } }
            do {
                try await appendBatch(b, expected: expected)
                if last { return at.size }
                if rest > 0 { try await Task.sleep(for: (ContinuousClock.now - started) * rest) }
            } catch is LedgerCursorMoved {
                next.cancel()
                at = try await Self.cursor(db)
                next = Task { [at] in try await self.pendingBatch(nil, after: at, limit: batch) }
            }
        }
    }

    /// Appends `b` in one transaction if the log still ends at `expected` (else `LedgerCursorMoved`).
    /// On SQLite the transaction runs through the C API in one trip with prepared statements (see
    /// SQLiteWriter): it holds the write lock that every credit check's log waits for, and through
    /// SQLKit 3,800 leaves held it 33 ms. Tiles that need rebuilding take the general path.
    func appendBatch(_ b: LedgerBatch, expected: LedgerCursor) async throws {
        if database.writesDirectly {   // dialect difference
            do {
                _ = try await database.writeDirectly { c in try Self.appendDirectly(c, b, expected: expected) }
                return
            } catch is LedgerTilesMissing {}
        }
        _ = try await database.transaction { db in
            let now = try await self.lockedCursor(db)
            guard now == expected else { throw LedgerCursorMoved() }
            return try await self.append(db, b, at: now)
        }
    }

    /// `append` inside `lockedCursor`'s checks, on the writer's connection (SQLite only): the cursor
    /// read again, the frontier and the changed tiles read by key, leaves and tiles written by
    /// prepared statements. Returns the new size.
    static func appendDirectly(_ c: SQLiteCConnection, _ b: LedgerBatch, expected: LedgerCursor) throws -> UInt64 {
        let m = try cursorReads.map { sql in try c.query(sql, []) { $0.isNull(0) ? nil : $0.int64(0) }.first ?? nil }
        let now = cursor(m[0], m[1], m[2])
        guard now == expected else { throw LedgerCursorMoved() }
        let size = now.size
        guard !b.events.isEmpty else { return size }
        func readTiles(_ keys: [Int64]) throws -> [Int64: [UInt8]] {
            var out: [Int64: [UInt8]] = [:]
            for k in keys { out[k] = try c.query("SELECT hashes FROM ledger_tiles WHERE id = ?1", [.int(k)]) { $0.bytes(0) }.first }
            return out
        }
        let roots = NodeProofs.rootNodes(size: size)
        let last = size > 0 ? [NodeID(level: 0, index: size - 1)] : []
        let tiles = try readTiles(Array(Set((roots + last).map(HashTile.key(of:)))))
        guard nodes(last, in: tiles).count == last.count else { throw LedgerTilesMissing() }
        let new = try NodeProofs.append(leaves: b.leaves.map(\.hash), at: size, frontier: nodes(roots, in: tiles))
        for (i, leaf) in b.leaves.enumerated() {
            try c.insert("INSERT INTO ledger_leaves (idx, seq, data) VALUES (?1, ?2, ?3)",
                         [.int(Int64(size) + Int64(i)), .int(b.events[i].seq), .utf8(leaf.data)])
        }
        for (key, tile) in try filledTiles(new, existing: readTiles(tileKeys(new))) {
            try c.insert("INSERT INTO ledger_tiles (id, hashes) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET hashes = excluded.hashes",
                         [.int(key), .blob(tile)])
        }
        return size + UInt64(b.leaves.count)
    }

    /// Where the log ends: its size, the last change-log event and the last check it holds.
    static func cursor(_ db: any SQLDatabase) async throws -> LedgerCursor {
        cursor(try await cursorRead(db, cursorReads[0]), try await cursorRead(db, cursorReads[1]), try await cursorRead(db, cursorReads[2]))
    }

    /// The cursor inside a sequencer's transaction: one sequencer at a time (SQLite has one writer
    /// already; PostgreSQL takes an advisory lock), and the tiles complete before anything is added.
    func lockedCursor(_ db: any SQLDatabase) async throws -> LedgerCursor {
        if database.dialect == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(72610002)").run() }
        let at = try await Self.cursor(db)
        try await Self.rebuildTilesIfMissing(db, size: at.size)
        return at
    }

    /// The next `limit` items after the cursor, encoded. Two sources, each continued after its last
    /// logged item: change-log events (positive seq) and answered checks (seq = −check id). They
    /// are merged by time, which keeps each source's own order, and the first `limit` are taken.
    /// `db` is the transaction to read in, or nil to read committed events outside any (through the
    /// bulk reader on SQLite).
    func pendingBatch(_ db: (any SQLDatabase)?, after at: LedgerCursor, limit: Int) async throws -> LedgerBatch {
        let changes = if let db { try await Self.ledgerEvents(db, after: at.lastChange, limit: max(1, limit)) }
            else { try await ledgerEvents(after: at.lastChange, limit: max(1, limit)) }
        let checks = if let db { try await Self.checkEvents(db, after: at.lastCheck, limit: max(1, limit)) }
            else { try await ledgerCheckEvents(after: at.lastCheck, limit: max(1, limit)) }
        let events = Self.merge(changes, checks, limit: max(1, limit))
        // Encoding and hashing (the CPU part) spread over the processors.
        let leaves = await events.concurrentMap { e in
            let data = self.leafData(e, version: LeafEncoding.version)
            return (data, Merkle.leafHash(data))
        }
        return LedgerBatch(events: events, leaves: leaves)
    }

    func append(_ db: any SQLDatabase, _ b: LedgerBatch, at: LedgerCursor) async throws -> UInt64 {
        guard !b.events.isEmpty else { return at.size }
        return try await Self.append(db, at: at.size, seqs: b.events.map(\.seq), leaves: b.leaves)
    }

    /// Appends leaves at `size` with the subtree hashes they complete (inside the caller's transaction).
    static func append(_ db: any SQLDatabase, at size: UInt64, seqs: [Int64], leaves: [(data: [UInt8], hash: Hash)]) async throws -> UInt64 {
        let frontier = try await nodes(db, NodeProofs.rootNodes(size: size))
        let nodes = try NodeProofs.append(leaves: leaves.map(\.hash), at: size, frontier: frontier)
        for chunk in Array(leaves.indices).chunked(1000) {
            let rows: [SQLQueryString] = chunk.map { i in
                "(\(bind: Int64(size) + Int64(i)), \(bind: seqs[i]), \(bind: String(decoding: leaves[i].data, as: UTF8.self)))"
            }
            try await db.raw("INSERT INTO ledger_leaves (idx, seq, data) VALUES \(rows.joined(separator: ", "))").run()
        }
        try await writeTiles(db, nodes)
        return size + UInt64(leaves.count)
    }

    /// Writes new subtree hashes into their tiles (creating or filling the right edge's). A slot
    /// already holding a different hash means the tiles and the leaves disagree: refused.
    static func writeTiles(_ db: any SQLDatabase, _ nodes: [(NodeID, Hash)]) async throws {
        let tiles = try filledTiles(nodes, existing: try await readTiles(db, tileKeys(nodes)))
        for chunk in tiles.keys.sorted().chunked(100) {
            let rows: [SQLQueryString] = chunk.map { "(\(bind: $0), \(bind: Data(tiles[$0]!)))" }
            try await db.raw("""
                INSERT INTO ledger_tiles (id, hashes) VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (id) DO UPDATE SET hashes = excluded.hashes
                """).run()
        }
    }

    /// The tiles that hold `nodes`.
    static func tileKeys(_ nodes: [(NodeID, Hash)]) -> [Int64] {
        Array(Set(nodes.map { HashTile.key(of: $0.0) }))
    }

    /// The tiles holding `nodes`, with their hashes written in (a tile not stored yet is created,
    /// the right edge's filled). A slot already holding a different hash means the tiles and the
    /// leaves disagree: refused.
    static func filledTiles(_ nodes: [(NodeID, Hash)], existing: [Int64: [UInt8]]) throws -> [Int64: [UInt8]] {
        var tiles: [Int64: [UInt8]] = [:]
        for (id, hash) in nodes {
            let key = HashTile.key(of: id), o = HashTile.offset(of: id)
            var tile = tiles[key] ?? existing[key] ?? []
            if tile.count < HashTile.bytes { tile.append(contentsOf: repeatElement(0, count: HashTile.bytes - tile.count)) }
            let slot = tile[o..<o + 32]
            if slot.contains(where: { $0 != 0 }) && !slot.elementsEqual(hash) {
                throw DomainError.conflict("透明日志的子树哈希与新条目冲突（瓦片 \(key)）：存储的哈希与日志条目不一致，请运行 xinyong ledger audit --nodes")
            }
            tile.replaceSubrange(o..<o + 32, with: hash)
            tiles[key] = tile
        }
        return tiles
    }

    static func readTiles(_ db: any SQLDatabase, _ keys: [Int64]) async throws -> [Int64: [UInt8]] {
        var out: [Int64: [UInt8]] = [:]
        for part in keys.chunked(500) {
            for row in try await db.raw("SELECT id, hashes FROM ledger_tiles WHERE id IN (\(binds: Array(part)))").all() {
                out[try row.decode(column: "id", as: Int64.self)] = Array(try row.decode(column: "hashes", as: Data.self))
            }
        }
        return out
    }

    /// Whether the tiles lack the last leaf's hash (then they are rebuilt before anything else).
    static func tilesMissing(_ db: any SQLDatabase, size: UInt64) async throws -> Bool {
        guard size > 0 else { return false }
        return try await nodes(db, [NodeID(level: 0, index: size - 1)]).isEmpty
    }

    /// The tiles are derived from the logged leaves. When the last leaf's hash is missing from
    /// them (a log kept before migration 0017, or tiles lost), they are rebuilt from the leaves,
    /// in the caller's transaction, before anything is appended.
    static func rebuildTilesIfMissing(_ db: any SQLDatabase, size: UInt64) async throws {
        guard try await tilesMissing(db, size: size) else { return }
        try await db.raw("DELETE FROM ledger_tiles").run()
        var frontier: [NodeID: Hash] = [:]
        var done: UInt64 = 0
        while done < size {
            let leaves = try await db.raw("""
                SELECT data FROM ledger_leaves WHERE idx >= \(bind: Int64(done)) ORDER BY idx LIMIT 10000
                """).all(decodingColumn: "data", as: String.self)
            guard !leaves.isEmpty else { break }
            let nodes = try NodeProofs.append(leaves: leaves.map { Merkle.leafHash(Array($0.utf8)) }, at: done, frontier: frontier)
            try await writeTiles(db, nodes)
            done += UInt64(leaves.count)
            frontier = NodeProofs.rightEdge(size: done, before: frontier, completed: nodes)
        }
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
            return try await Self.append(db, at: size, seqs: seqs, leaves: seqs.map {
                let data = Array("{\"bench\":\($0)}".utf8)
                return (data, Merkle.leafHash(data))
            })
        }
    }

    static func nodes(_ db: any SQLDatabase, _ ids: [NodeID]) async throws -> [NodeID: Hash] {
        guard !ids.isEmpty else { return [:] }
        return nodes(ids, in: try await readTiles(db, Array(Set(ids.map(HashTile.key(of:))))))
    }

    /// The hashes of `ids` that `tiles` hold.
    static func nodes(_ ids: [NodeID], in tiles: [Int64: [UInt8]]) -> [NodeID: Hash] {
        var out: [NodeID: Hash] = [:]
        for id in ids {
            guard let tile = tiles[HashTile.key(of: id)] else { continue }
            let o = HashTile.offset(of: id)
            guard o + 32 <= tile.count, tile[o..<o + 32].contains(where: { $0 != 0 }) else { continue }
            out[id] = Array(tile[o..<o + 32])
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

struct LedgerCursor: Sendable, Equatable {
    var size: UInt64
    var lastChange: Int64
    var lastCheck: Int64
}

struct LedgerBatch: Sendable {
    var events: [LedgerEvent]
    var leaves: [(data: [UInt8], hash: Hash)]

    /// Where the log ends once this batch is appended.
    func cursorAfter(_ at: LedgerCursor) -> LedgerCursor {
        LedgerCursor(size: at.size + UInt64(events.count),
                     lastChange: events.last(where: { $0.seq > 0 })?.seq ?? at.lastChange,
                     lastCheck: events.last(where: { $0.seq < 0 }).map { -$0.seq } ?? at.lastCheck)
    }
}

/// Another sequencer appended since a batch was read: it is read again.
struct LedgerCursorMoved: Error {}

/// The tiles lack the log's last leaf: the general path rebuilds them first.
struct LedgerTilesMissing: Error {}
