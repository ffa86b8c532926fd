import Foundation
import XinyongCore

/// What verifying a report found. `genuine` is about the file (signature, proofs); `current`
/// about time (the validity date, and — when checked online — later changes of its records).
public struct ReportVerification: Sendable, Equatable {
    public struct Check: Sendable, Equatable, Codable {
        public var name: String
        public var ok: Bool
        public var detail: String
        public init(name: String, ok: Bool, detail: String) { self.name = name; self.ok = ok; self.detail = detail }
    }
    public var checks: [Check] = []
    public var report: CreditReport?
    public var checkpoint: Checkpoint?
    /// No key was given: the report's own key was used, which proves nothing until compared with the published one.
    public var keyFromReport = false
    public var expired = false
    public var genuine: Bool { report != nil && checks.allSatisfy(\.ok) }
    public init() {}

    mutating func check(_ name: String, _ ok: Bool, _ detail: String) { checks.append(Check(name: name, ok: ok, detail: detail)) }
}

public enum ReportVerifier {
    /// Verifies a report file offline: its signature and its checkpoint's by a trusted key (the
    /// report's own key when `trustedKeys` is empty, flagged), every record's opening, leaf and
    /// inclusion proof, the subject commitments of a "no record" statement, and the validity date.
    public static func verify(_ bytes: [UInt8], trustedKeys: [String], today: CivilDate) -> ReportVerification {
        var out = ReportVerification()
        guard let value = try? JSONValue.parse(bytes) else {
            out.check("文件格式", false, "不是有效的 JSON 报告文件（或含有小数，本平台报告不使用小数）")
            return out
        }
        guard let report = try? CreditReport.decoder.decode(CreditReport.self, from: Data(bytes)) else {
            out.check("文件格式", false, "JSON 结构不是本平台的信用报告")
            return out
        }
        guard report.format == CreditReport.format else {
            out.check("文件格式", false, "报告格式 \(report.format) 不受支持（应为 \(CreditReport.format)）")
            return out
        }
        out.report = report
        out.check("文件格式", true, "\(CreditReport.format)，报告编号 \(report.number)")

        var keys = trustedKeys
        if keys.isEmpty { keys = [report.issuer.verifierKey]; out.keyFromReport = true }
        let verifiers = keys.compactMap { try? NoteVerifier(verifierKey: $0) }
        if verifiers.isEmpty { out.check("公钥", false, "没有可用的验证公钥"); return out }

        // The platform's signature over the canonical body.
        if let s = report.signature, let note = try? SignedNote(s) {
            let expected = CreditReport.signedText(origin: report.issuer.origin, number: report.number, hash: CreditReport.bodyHash(value))
            if !verifiers.contains(where: { note.isSigned(by: $0) }) {
                out.check("报告签名", false, "签名无法用受信任的公钥验证：报告不是本平台签发，或签名被替换")
            } else if note.text != expected {
                out.check("报告签名", false, "报告内容与签名不符：签发后至少有一个字节被改动")
            } else {
                out.check("报告签名", true, "Ed25519 签名有效（\(note.signatures.first?.name ?? "")）")
            }
        } else {
            out.check("报告签名", false, "报告没有签名或签名格式错误")
        }

        // The checkpoint the proofs are against.
        guard let cpNote = try? SignedNote(report.checkpoint), let cp = try? Checkpoint(body: cpNote.text) else {
            out.check("检查点", false, "报告中的检查点不是有效的签名检查点")
            return out
        }
        out.checkpoint = cp
        let cpSigned = verifiers.contains { cpNote.isSigned(by: $0) }
        out.check("检查点", cpSigned && cp.origin == report.issuer.origin,
                  !cpSigned ? "检查点签名无法用受信任的公钥验证" : cp.origin != report.issuer.origin ? "检查点来源 \(cp.origin) 与报告签发方不符"
                  : "日志 \(cp.origin) 树大小 \(cp.size)，根哈希 \(Hex.encode(cp.rootHash).prefix(16))…")

        // Each record: its fields and salt open the digest in its leaf, the leaf is this record at
        // this version and still in effect, and the leaf is in the tree of the checkpoint.
        let subjectKey = report.absence.flatMap { Hex.decode($0.subjectKey) }
        var recordProblems: [String] = []
        for r in report.allRecords {
            let leafBytes = Array(r.leaf.utf8)
            guard let leaf = try? LeafData(leafBytes), let salt = Hex.decode(r.salt) else {
                recordProblems.append("记录 \(r.record)：日志条目或盐值格式错误"); continue
            }
            if leaf.record != r.record || leaf.version != r.version || leaf.item != r.item {
                recordProblems.append("记录 \(r.record)：日志条目记载的是另一条记录或另一个版本")
            }
            if Hex.encode(LeafEncoding.digest(fields: r.fields, salt: salt)) != leaf.digest {
                recordProblems.append("记录 \(r.record)：记录内容与日志中的摘要不符")
            }
            if LeafData.endingEvents.contains(leaf.event) {
                recordProblems.append("记录 \(r.record)：日志显示该记录已结束（\(leaf.event)）")
            }
            // Version 1 leaves (logged before subject commitments) cannot be tied to a subject.
            if let key = subjectKey, leaf.v >= 2, !leaf.belongs(toSubjectKey: key) {
                recordProblems.append("记录 \(r.record)：日志条目不属于本报告的信用主体")
            }
            let proof = r.proof.compactMap(Hex.decode)
            if proof.count != r.proof.count || r.leafIndex >= cp.size
                || !Merkle.verifyInclusion(index: r.leafIndex, size: cp.size, leafHash: Merkle.leafHash(leafBytes), proof: proof, root: cp.rootHash) {
                recordProblems.append("记录 \(r.record)：包含证明不能通过检查点验证（日志条目 \(r.leafIndex)）")
            }
        }
        out.check("记录证明", recordProblems.isEmpty,
                  recordProblems.isEmpty ? "\(report.allRecords.count) 条记录均已记入透明日志，包含证明有效" : recordProblems.prefix(20).joined(separator: "；"))

        if let a = report.absence {
            let ok = a.size == cp.size && Hex.decode(a.subjectKey)?.count == 32
            out.check("无记录声明", ok, ok ? "声明针对树大小 \(a.size)：可对照透明日志核验（xinyong report verify --scan）" : "无记录声明与检查点不一致")
        }

        // Validity: the last day it may be used.
        if let until = CivilDate(report.validUntil) {
            out.expired = today > until
        } else {
            out.check("有效期", false, "有效期格式错误")
        }
        return out
    }

    /// Checks a "no record" statement against the log's leaves `0..<absence.size` (in index order):
    /// among the leaves of the report's subject in the statement's items, the last leaf of every
    /// record still in effect must be a record of the report (that very leaf) or one of the
    /// statement's others. Returns the differences (empty when the statement holds). Version 1
    /// leaves carry no subject commitment: the statement covers what was logged as version 2.
    public static func checkAbsence(_ report: CreditReport, leaves: some Sequence<(index: UInt64, data: [UInt8])>) -> [String] {
        guard let a = report.absence, let key = Hex.decode(a.subjectKey) else { return ["报告没有无记录声明"] }
        let items = Set(a.items)
        var last: [Int64: (index: UInt64, event: String)] = [:]   // the subject's records: their last leaf
        var seen: UInt64 = 0
        let referenced = Set(report.allRecords.map(\.leafIndex) + a.others.map(\.leafIndex))
        var unattributable: Set<Int64> = []   // records the report cites by a version 1 leaf
        for (index, data) in leaves {
            guard index < a.size else { break }
            seen = index + 1
            guard let leaf = try? LeafData(data) else { continue }
            if leaf.v < 2 && referenced.contains(index) { unattributable.insert(leaf.record) }
            if leaf.belongs(toSubjectKey: key), items.contains(leaf.item) {
                last[leaf.record] = (index, leaf.event)
            } else if last[leaf.record] != nil {
                last[leaf.record] = (index, "moved")   // the record was relinked to another subject
            }
        }
        var problems: [String] = []
        if seen < a.size { problems.append("只读到 \(seen) 条日志条目，声明针对 \(a.size) 条") }
        let reported = Dictionary(report.allRecords.map { ($0.record, $0.leafIndex) }, uniquingKeysWith: { a, _ in a })
        let others = Dictionary(a.others.map { ($0.record, $0.leafIndex) }, uniquingKeysWith: { a, _ in a })
        for (record, l) in last.sorted(by: { $0.key < $1.key }) {
            let effective = l.event != "moved" && !LeafData.endingEvents.contains(l.event)
            if effective, reported[record] == nil, others[record] == nil {
                problems.append("日志条目 \(l.index)：记录 \(record) 仍然有效，但报告既未列出也未说明")
            } else if let i = reported[record] ?? others[record], i != l.index {
                problems.append("记录 \(record)：报告引用日志条目 \(i)，但截至树大小 \(a.size) 其最新条目是 \(l.index)")
            } else if !effective, reported[record] != nil || others[record] != nil {
                problems.append("记录 \(record)：报告列出的记录在日志中已结束")
            }
        }
        for record in Set(reported.keys).union(others.keys) where last[record] == nil && !unattributable.contains(record) {
            problems.append("记录 \(record)：在日志中找不到属于本主体的条目")
        }
        return problems
    }
}
