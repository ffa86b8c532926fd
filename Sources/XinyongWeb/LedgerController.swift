import Foundation
import Hummingbird
import XinyongCore
import XinyongLedger

/// The transparency log's public API (RFC 9162 proofs, C2SP checkpoints): anyone may read it,
/// monitor it and verify proofs with any independent implementation.
struct LedgerController {
    let env: WebEnvironment

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1/ledger")
        api.get("checkpoint", use: checkpoint)
        api.get("checkpoints/:size", use: checkpoint)
        api.get("entries", use: entries)
        api.get("entries/:index", use: entry)
        api.get("proof/inclusion", use: inclusion)
        api.get("proof/consistency", use: consistency)
        api.get("public-key", use: publicKey)
        api.get("keys", use: keys)
    }

    func ledger() throws -> any LedgerStore {
        guard let l = env.ledger else { throw DomainError.unavailable("本平台未启用透明日志") }
        return l
    }

    static func number(_ request: Request, _ name: String) throws -> UInt64? {
        guard let raw = request.uri.queryParameters.get(name) else { return nil }
        guard let n = UInt64(raw) else { throw DomainError.invalid(field: name, reason: "\(name) 应为非负整数") }
        return n
    }

    /// The newest checkpoint (or that of `size`) as the signed note, or as JSON when asked.
    @Sendable func checkpoint(_ request: Request, context: AppRequestContext) async throws -> Response {
        let size = try context.parameters.get("size").map { s -> UInt64 in
            guard let n = UInt64(s) else { throw DomainError.invalid(field: "size", reason: "树大小应为非负整数") }
            return n
        }
        guard let c = try await ledger().checkpoint(size: size) else {
            throw DomainError.notFound(what: size.map { "树大小为 \($0) 的检查点" } ?? "检查点（日志尚未签署）")
        }
        if (request.headers[.accept] ?? "").contains("application/json") {
            let origin = (try? Checkpoint(body: SignedNote(c.note).text).origin) ?? ""
            return try CatalogController.json(CheckpointJSON(origin: origin, size: c.size, rootHash: Hex.encode(c.rootHash), note: c.note))
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(string: c.note)))
    }

    struct CheckpointJSON: Encodable { var origin: String; var size: UInt64; var rootHash: String; var note: String }

    @Sendable func entry(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let index = context.parameters.get("index").flatMap({ UInt64($0) }),
              let e = try await ledger().ledgerEntry(index: index) else { throw DomainError.notFound(what: "该日志条目") }
        return try CatalogController.json(Entry(index: index, data: String(decoding: e.data, as: UTF8.self),
                                                dataBase64: Data(e.data).base64EncodedString(), leafHash: Hex.encode(e.leafHash)))
    }
    struct Entry: Encodable { var index: UInt64; var data: String; var dataBase64: String; var leafHash: String }

    /// Up to 1,000 consecutive entries from `start`: how a monitor (or `xinyong report verify --scan`)
    /// reads the whole log to recompute its tree or check a report's "no record" statement.
    @Sendable func entries(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let start = try Self.number(request, "start") else { throw DomainError.invalid(field: "start", reason: "请给出起始序号 start") }
        let count = min(try Self.number(request, "count") ?? 1000, 1000)
        let leaves = try await ledger().ledgerLeaves(from: start, limit: Int(count))
        return try CatalogController.json(["entries": leaves.filter { $0.index < start + count }.map {
            Entry(index: $0.index, data: String(decoding: $0.data, as: UTF8.self), dataBase64: Data($0.data).base64EncodedString(),
                  leafHash: Hex.encode(Merkle.leafHash($0.data)))
        }])
    }

    /// The size a proof is asked for: the newest checkpoint's when not given, never beyond the log.
    func treeSize(_ asked: UInt64?) async throws -> UInt64 {
        let logged = try await ledger().ledgerSize()
        if let asked {
            guard asked <= logged else { throw DomainError.invalid(field: "size", reason: "日志目前只有 \(logged) 条") }
            return asked
        }
        guard let c = try await ledger().checkpoint(size: nil) else { throw DomainError.notFound(what: "检查点（日志尚未签署）") }
        return c.size
    }

    struct InclusionProof: Encodable { var index: UInt64; var size: UInt64; var rootHash: String; var path: [String] }

    @Sendable func inclusion(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let index = try Self.number(request, "index") else { throw DomainError.invalid(field: "index", reason: "请给出条目序号 index") }
        let size = try await treeSize(try Self.number(request, "size"))
        guard index < size else { throw DomainError.invalid(field: "index", reason: "序号应小于树大小 \(size)") }
        let l = try ledger()
        let path = try await l.inclusionProof(index: index, size: size)
        return try CatalogController.json(InclusionProof(index: index, size: size, rootHash: Hex.encode(try await l.root(size: size)),
                                                         path: path.map(Hex.encode)))
    }

    struct ConsistencyProof: Encodable { var from: UInt64; var to: UInt64; var path: [String] }

    @Sendable func consistency(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let from = try Self.number(request, "from") else { throw DomainError.invalid(field: "from", reason: "请给出较早的树大小 from") }
        let to = try await treeSize(try Self.number(request, "to"))
        guard from <= to else { throw DomainError.invalid(field: "from", reason: "from 不能大于 to") }
        let path = try await ledger().consistencyProof(from: from, to: to)
        return try CatalogController.json(ConsistencyProof(from: from, to: to, path: path.map(Hex.encode)))
    }

    @Sendable func publicKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let key = env.ledgerVerifierKey else { throw DomainError.unavailable("本平台未启用透明日志") }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: key + "\n")))
    }

    /// Every key the log has signed with (current first): old checkpoints stay verifiable after rotation.
    @Sendable func keys(_ request: Request, context: AppRequestContext) async throws -> Response {
        try CatalogController.json(["keys": try await ledger().ledgerKeys()])
    }
}
