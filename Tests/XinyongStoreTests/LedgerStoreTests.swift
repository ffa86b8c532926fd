import Foundation
import SQLKit
import Testing
import XinyongApp
import XinyongCore
import XinyongLedger
@testable import XinyongStore
import XinyongTestSupport

/// The transparency log over the change log, on SQLite and (by the test command) PostgreSQL.
@Suite("Ledger store")
struct LedgerStoreTests {
    let records = RecordStoreTests()

    @Test func everyEventBecomesALeafInOrderOnceWithProofsThatVerify() async throws {
        try await records.withDepartment { p in
            _ = try await records.submit(p, (1...9).map { records.row("厦市监处罚〔2026〕\($0)号") })
            _ = try await records.submit(p, [records.row("厦市监处罚〔2026〕1号", fine: "3")])   // an update: a 10th event
            let events = try await p.store.changeLog(after: 0, limit: 100)
            #expect(events.count == 10)
            // Sequenced in small batches: nothing skipped, nothing twice, in change-log order.
            var size: UInt64 = 0
            repeat { size = try await p.store.sequenceLedger(limit: 3) } while size < 10
            #expect(try await p.store.sequenceLedger(limit: 3) == 10)
            var leaves: [Hash] = []
            for i in 0..<UInt64(10) {
                let entry = try #require(try await p.store.ledgerEntry(index: i))
                let text = String(decoding: entry.data, as: UTF8.self)
                #expect(text.contains("\"seq\":\(events[Int(i)].seq),") && text.contains("\"v\":2") && LeafEncoding.version(of: entry.data) == 2)
                // No personal or identifying content in the published leaf: only a salted digest.
                #expect(!text.contains("厦门示例科技有限公司") && !text.contains("91350200776049653A") && !text.contains("王伟"))
                leaves.append(entry.leafHash)
            }
            let root = try await p.store.root(size: 10)
            #expect(root == Merkle.root(leaves))
            for i in 0..<UInt64(10) {
                let proof = try await p.store.inclusionProof(index: i, size: 10)
                #expect(Merkle.verifyInclusion(index: i, size: 10, leafHash: leaves[Int(i)], proof: proof, root: root))
            }
            for m in 0...UInt64(10) {
                let proof = try await p.store.consistencyProof(from: m, to: 10)
                #expect(Merkle.verifyConsistency(from: m, to: 10, proof: proof, firstRoot: Merkle.root(leaves[0..<Int(m)]), secondRoot: root))
            }
            // A signed checkpoint, once per size, that verifies with the published key.
            let signer = try NoteSigner.generate(name: "test.example/credit-log")
            try await p.store.registerLedgerKey(signer.verifierKey, keyHash: String(format: "%08x", signer.keyHash))
            let c = try #require(try await p.store.sequenceAndSign(signer: signer, origin: "test.example/credit-log"))
            #expect(c.size == 10 && c.rootHash == root)
            #expect(try await p.store.sequenceAndSign(signer: signer, origin: "test.example/credit-log") == nil)
            let note = try SignedNote(c.note)
            #expect(note.isSigned(by: try NoteVerifier(verifierKey: try #require(try await p.store.ledgerKeys().first))))
            #expect(try Checkpoint(body: note.text).rootHash == root)
            // New events extend the tree consistently with the signed one.
            _ = try await records.submit(p, [records.row("厦市监处罚〔2026〕20号")])
            let next = try #require(try await p.store.sequenceAndSign(signer: signer, origin: "test.example/credit-log"))
            #expect(next.size == 11)
            #expect(Merkle.verifyConsistency(from: 10, to: 11, proof: try await p.store.consistencyProof(from: 10, to: 11),
                                             firstRoot: c.rootHash, secondRoot: next.rootHash))
        }
    }

    /// Two sequencers at once (the server's, resting between its batches, and a report's): each
    /// reads its next batch while writing the last, so one of them finds the log moved under a
    /// batch it read, reads again, and every event is still logged once, in order.
    @Test func concurrentSequencersLogEveryEventOnceInOrder() async throws {
        try await records.withDepartment { p in
            _ = try await records.submit(p, (1...9).map { records.row("厦市监处罚〔2026〕\($0)号") })
            _ = try await records.submit(p, (10...17).map { records.row("厦市监处罚〔2026〕\($0)号") })
            async let a = p.store.sequencePending(batch: 2, rest: 1)
            async let b = p.store.sequencePending(batch: 3)
            let sizes = try await [a, b]
            #expect(sizes.max() == 17)
            #expect(try await p.store.sequencePending(batch: 5) == 17)
            // Alone, resting between batches of two, the server's pass still logs all that waits.
            _ = try await records.submit(p, (18...24).map { records.row("厦市监处罚〔2026〕\($0)号") })
            #expect(try await p.store.sequencePending(batch: 2, rest: 1) == 24)
            let seqs = try await p.store.ledgerLeaves(from: 0, limit: 100).map(\.seq)
            #expect(seqs == (try await p.store.changeLog(after: 0, limit: 100)).map(\.seq))
            let audit = try await p.store.audit(verifierKeys: [])
            #expect(audit.events == 24 && audit.leaves == 24 && audit.pendingEvents == 0)
            #expect(audit.problems.isEmpty, "\(audit.problems)")
        }
    }

    /// Subtree hashes live in tiles of 256 (and the levels above them): at 700 leaves the tree
    /// reaches the second tile level, and every root and proof equals the definitions. Tiles lost
    /// (or a log kept before they existed) are rebuilt from the leaves by the next sequencer run.
    @Test func tilesServeEveryProofAndAreRebuiltFromTheLeaves() async throws {
        try await TestBackend.withPlatform { p in
            let n: UInt64 = 700
            #expect(try await p.store.appendSyntheticLedgerLeaves(count: 300) == 300)
            #expect(try await p.store.appendSyntheticLedgerLeaves(count: 400) == n)
            let leaves = (1...n).map { Merkle.leafHash(Array("{\"bench\":\($0)}".utf8)) }
            func check() async throws {
                for size in [1, 2, 255, 256, 257, 511, 512, 513, 699, 700] as [UInt64] {
                    #expect(try await p.store.root(size: size) == Merkle.root(leaves[0..<Int(size)]))
                    for i in [0, size / 2, size - 1] {
                        #expect(try await p.store.inclusionProof(index: i, size: size) == Merkle.inclusionProof(index: Int(i), leaves: leaves[0..<Int(size)]))
                    }
                    #expect(try await p.store.consistencyProof(from: size / 3 + 1, to: n) == Merkle.consistencyProof(from: Int(size / 3 + 1), leaves: leaves[...]))
                }
            }
            try await check()
            let sql = p.database.sql
            #expect(try await sql.raw("SELECT count(*) AS n FROM ledger_tiles").first(decodingColumn: "n", as: Int.self) == 4)   // 3 at level 0, 1 above
            try await sql.raw("DELETE FROM ledger_tiles").run()
            await #expect(throws: (any Error).self) { try await p.store.root(size: n) }
            #expect(try await p.store.sequencePending(batch: 10) == n)   // nothing waits: the tiles are rebuilt all the same
            try await check()
        }
    }

    /// The audit recomputes the log from the database and finds an event or a record changed,
    /// removed or inserted behind the log's back — here by SQL straight into the database.
    @Test func theAuditCatchesTamperingBehindTheLogsBack() async throws {
        try await records.withDepartment { p in
            _ = try await records.submit(p, (1...6).map { records.row("厦市监处罚〔2026〕\($0)号") })
            let signer = try NoteSigner.generate(name: "test.example/credit-log")
            try await p.store.registerLedgerKey(signer.verifierKey, keyHash: String(format: "%08x", signer.keyHash))
            _ = try await p.store.sequenceAndSign(signer: signer, origin: "test.example/credit-log")
            _ = try await records.submit(p, [records.row("厦市监处罚〔2026〕7号")])
            _ = try await p.store.sequenceAndSign(signer: signer, origin: "test.example/credit-log")
            let keys = try await p.store.ledgerKeys()
            let clean = try await p.store.audit(verifierKeys: keys, batch: 4)
            #expect(clean.ok && clean.events == 7 && clean.leaves == 7 && clean.checkpoints == 2, "\(clean.problems)")
            // A fine quietly lowered in the current version of a logged record.
            let sql = p.database.sql
            let fields = try #require(try await sql.raw("SELECT fields FROM credit_records WHERE id = 2").first(decodingColumn: "fields", as: String.self))
            try await sql.raw("UPDATE credit_records SET fields = \(bind: fields.replacingOccurrences(of: "\"CF_NR_FK\":\"2\"", with: "\"CF_NR_FK\":\"0.2\"")) WHERE id = 2").run()
            let changed = try await p.store.audit(verifierKeys: keys, batch: 4)
            #expect(!changed.ok && changed.problems.contains { $0.contains("改动") } && changed.problems.contains { $0.contains("检查点 6") })
            try await sql.raw("UPDATE credit_records SET fields = \(bind: fields) WHERE id = 2").run()
            #expect(try await p.store.audit(verifierKeys: keys).ok)
            // An event deleted from the change log.
            try await sql.raw("DELETE FROM change_log WHERE record_id = 5").run()
            let removed = try await p.store.audit(verifierKeys: keys)
            #expect(!removed.ok && removed.problems.contains { $0.contains("删除") })
            // A stored subtree hash off every checkpoint's root path (a leaf's own hash), corrupted.
            let leaf1 = NodeID(level: 0, index: 1), tileKey = HashTile.key(of: leaf1)
            var tile = Array(try #require(try await sql.raw("SELECT hashes FROM ledger_tiles WHERE id = \(bind: tileKey)").first(decodingColumn: "hashes", as: Data.self)))
            tile[HashTile.offset(of: leaf1)] ^= 0x01
            try await sql.raw("UPDATE ledger_tiles SET hashes = \(bind: Data(tile)) WHERE id = \(bind: tileKey)").run()
            #expect(try await p.store.audit(verifierKeys: keys).problems.allSatisfy { !$0.contains("子树哈希") }, "only the thorough audit reads every node")
            let corrupted = try await p.store.audit(verifierKeys: keys, checkNodes: true)
            #expect(corrupted.problems.contains { $0.contains("子树哈希") && $0.contains("第 0 层第 1 个") }, "\(corrupted.problems)")
            // A checkpoint signed by a key nobody published.
            #expect(!(try await p.store.audit(verifierKeys: [])).problems.filter { $0.contains("签名") }.isEmpty)
        }
    }

    /// On SQLite the audit reads the log through the C API (`SQLiteScanner`): it must read exactly
    /// what the pooled connections read, in batches, including events of records still waiting for
    /// their subject (no subject) and a text with quotes, backslashes and Chinese.
    @Test func theBulkReaderReadsWhatThePoolReads() async throws {
        try await records.withDepartment { p in
            var rows = (1...5).map { records.row("厦市监处罚〔2026〕\($0)号") }
            rows[2]["CF_SY"] = "违反\"条例\"第\\3条\n（测试）"
            rows[3] = records.row("厦市监处罚〔2026〕4号", code: "9135ABC", name: "厦门无从查起有限公司")   // waits to be linked
            rows[3]["CF_FRDB"] = "李四"
            _ = try await records.submit(p, rows)
            _ = try await p.store.sequencePending(batch: 10)
            guard let scanner = p.database.scanner else {
                #expect(p.database.dialect == .postgres, "every SQLite file has a bulk reader")
                return
            }
            let pooled = try await SQLPlatformStore.ledgerEvents(p.database.sql, after: 1, limit: 3)
            let scanned = try await SQLPlatformStore.ledgerEvents(scanner, after: 1, limit: 3)
            #expect(pooled.count == 3 && scanned == pooled)
            let all = try await SQLPlatformStore.ledgerEvents(scanner, after: 0, limit: 100)
            #expect(all == (try await SQLPlatformStore.ledgerEvents(p.database.sql, after: 0, limit: 100)))
            #expect(all.contains { $0.subjectID == nil } && all.contains { $0.subjectID != nil } && all.contains { String(decoding: $0.fields, as: UTF8.self).contains("\\\"条例") })
            let leaves = try await p.store.ledgerLeaves(from: 2, limit: 2)
            #expect(leaves.map(\.index) == [2, 3] && leaves.allSatisfy { (try? LeafData($0.data)) != nil })
        }
    }

    /// A crash between an event and its leaf: events are committed with their records, leaves by
    /// the sequencer in its own transaction. A sequencer run that dies half way (here: a trigger
    /// makes its write of the subtree-hash tiles fail after the leaves were written) leaves nothing
    /// behind, the events wait, and the next run logs them in order; the log and the database agree
    /// (the audit passes).
    @Test func aCrashBetweenEventAndLeafLosesAndReordersNothing() async throws {
        try await records.withDepartment { p in
            _ = try await records.submit(p, (1...3).map { records.row("厦市监处罚〔2026〕\($0)号") })
            #expect(try await p.store.sequenceLedger(limit: 100) == 3)
            // Events committed, then the "crash": the sequencer's transaction fails part way.
            _ = try await records.submit(p, (4...5).map { records.row("厦市监处罚〔2026〕\($0)号") })
            let sql = p.database.sql
            let (crash, cure): ([SQLQueryString], [SQLQueryString]) = switch p.database.dialect {
            case .sqlite: (["CREATE TRIGGER crash BEFORE UPDATE ON ledger_tiles BEGIN SELECT RAISE(ABORT, 'crash'); END"], ["DROP TRIGGER crash"])
            case .postgres: (["CREATE FUNCTION crash() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'crash'; END $$ LANGUAGE plpgsql",
                              "CREATE TRIGGER crash BEFORE UPDATE ON ledger_tiles FOR EACH ROW EXECUTE FUNCTION crash()"],
                             ["DROP TRIGGER crash ON ledger_tiles", "DROP FUNCTION crash()"])
            }
            for q in crash { try await sql.raw(q).run() }
            await #expect(throws: (any Error).self) { try await p.store.sequenceLedger(limit: 100) }
            #expect(try await p.store.ledgerSize() == 3)
            #expect(try await p.store.ledgerEntry(index: 3) == nil)
            // Restarted: the pending events are logged, in change-log order, once.
            for q in cure { try await sql.raw(q).run() }
            #expect(try await p.store.sequenceLedger(limit: 100) == 5)
            let seqs = try await p.store.ledgerLeaves(from: 0, limit: 10).map(\.seq)
            #expect(seqs == (try await p.store.changeLog(after: 0, limit: 10)).map(\.seq))
            let signer = try NoteSigner.generate(name: "test.example/credit-log")
            try await p.store.registerLedgerKey(signer.verifierKey, keyHash: String(format: "%08x", signer.keyHash))
            _ = try await p.store.sequenceAndSign(signer: signer, origin: "test.example/credit-log")
            let audit = try await p.store.audit(verifierKeys: try await p.store.ledgerKeys())
            #expect(audit.ok && audit.events == 5 && audit.leaves == 5, "\(audit.problems)")
        }
    }
}
