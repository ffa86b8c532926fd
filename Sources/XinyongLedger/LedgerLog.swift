import Crypto
import Foundation

/// One change-log event as the transparency log takes it in.
public struct LedgerEvent: Sendable, Equatable {
    public var seq: Int64
    public var at: Int64
    public var event: String
    public var item: String
    public var recordID: Int64
    public var version: Int
    /// The record's stored fields at that version (sorted JSON, identity numbers already keyed hashes).
    public var fields: String
    public init(seq: Int64, at: Int64, event: String, item: String, recordID: Int64, version: Int, fields: String) {
        self.seq = seq; self.at = at; self.event = event; self.item = item; self.recordID = recordID; self.version = version; self.fields = fields
    }
}

/// The leaf data of an event, version 1: canonical JSON (keys sorted, no spaces) of the event's
/// sequence number, time, kind, catalog item, record id and version, and a digest of the record's
/// content salted per record — SHA-256(salt ‖ fields) — so the published log carries no personal
/// data, and whoever holds a record's fields and salt (a report) can show the record is the one logged.
public enum LeafEncoding {
    public static let version = 1

    public static func digest(fields: String, salt: [UInt8]) -> Hash {
        var h = SHA256()
        h.update(data: salt)
        h.update(data: Array(fields.utf8))
        return Array(h.finalize())
    }

    public static func data(_ e: LedgerEvent, salt: [UInt8]) -> [UInt8] {
        func string(_ s: String) -> String {
            "\"" + s.unicodeScalars.map { c -> String in
                switch c {
                case "\"": "\\\""
                case "\\": "\\\\"
                case _ where c.value < 0x20: String(format: "\\u%04x", c.value)
                default: String(c)
                }
            }.joined() + "\""
        }
        let text = "{\"at\":\(e.at),\"digest\":\"\(HexBytes.encode(digest(fields: e.fields, salt: salt)))\",\"event\":\(string(e.event)),"
            + "\"item\":\(string(e.item)),\"record\":\(e.recordID),\"seq\":\(e.seq),\"v\":\(version),\"version\":\(e.version)}"
        return Array(text.utf8)
    }
}

public struct StoredCheckpoint: Sendable, Equatable {
    public var size: UInt64
    public var rootHash: Hash
    public var note: String
    public var at: Date
    public init(size: UInt64, rootHash: Hash, note: String, at: Date) { self.size = size; self.rootHash = rootHash; self.note = note; self.at = at }
}

/// The log's storage: leaves appended in change-log order by a sequencer that neither skips nor
/// reorders (each run continues after the last logged sequence number, in one transaction with
/// the subtree hashes it completes), signed checkpoints and the verifier keys ever used.
public protocol LedgerStore: Sendable {
    func ledgerSize() async throws -> UInt64
    /// Logs up to `limit` change-log events after the last one logged; returns the new size.
    func sequenceLedger(limit: Int) async throws -> UInt64
    func ledgerNodes(_ ids: [NodeID]) async throws -> [NodeID: Hash]
    func ledgerEntry(index: UInt64) async throws -> (data: [UInt8], leafHash: Hash)?
    func saveCheckpoint(_ c: StoredCheckpoint, keyHash: String) async throws
    /// The checkpoint of exactly `size`, or the newest when nil.
    func checkpoint(size: UInt64?) async throws -> StoredCheckpoint?
    /// Every verifier key the log has signed with, current first.
    func ledgerKeys() async throws -> [String]
    func registerLedgerKey(_ verifierKey: String, keyHash: String) async throws
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

    /// Logs what is pending and signs a checkpoint when the tree grew (or none exists yet).
    public func sequenceAndSign(signer: NoteSigner, origin: String, batch: Int = 10_000, now: Date = Date()) async throws -> StoredCheckpoint? {
        var size = try await ledgerSize()
        while true {
            let next = try await sequenceLedger(limit: batch)
            if next == size { break }
            size = next
        }
        if let last = try await checkpoint(size: nil), last.size == size { return nil }
        let root = try await root(size: size)
        let body = Checkpoint(origin: origin, size: size, rootHash: root, extensions: ["timestamp \(Int64(now.timeIntervalSince1970))"]).body
        let c = StoredCheckpoint(size: size, rootHash: root, note: try signer.sign(body), at: now)
        try await saveCheckpoint(c, keyHash: String(format: "%08x", signer.keyHash))
        return c
    }
}
