import Foundation
import XinyongCore

/// Issues credit reports: picks the subject's records for the kind, brings the log up to the
/// records' last events, takes their evidence and inclusion proofs against one signed checkpoint,
/// writes the "no record" statement of a special report, signs, and keeps the report.
public struct ReportDesk: Sendable {
    /// How a record reads in a report (labels, department name, state), from the web layer's views.
    public struct Line: Sendable {
        public var title: String; public var itemName: String; public var department: String; public var facts: [CreditReport.Fact]
        public var state: String
        public init(title: String, itemName: String, department: String, facts: [CreditReport.Fact], state: String) {
            self.title = title; self.itemName = itemName; self.department = department; self.facts = facts; self.state = state
        }
    }

    public struct Request: Sendable {
        public var subject: Subject
        public var kind: ReportKind
        public var span: ClosedRange<CivilDate>?
        public var sections: [String]
        public var requestedBy: String
        public init(subject: Subject, kind: ReportKind, span: ClosedRange<CivilDate>? = nil, sections: [String] = [], requestedBy: String) {
            self.subject = subject; self.kind = kind; self.span = span; self.sections = sections; self.requestedBy = requestedBy
        }
    }

    public let store: any ReportStore & RecordStore
    public let signer: NoteSigner
    public let origin: String
    public let siteName: String
    /// The public address of `/verify` (printed on the report and in its QR code).
    public let verifyBase: String
    public let validDays: Int

    public init(store: any ReportStore & RecordStore, signer: NoteSigner, origin: String, siteName: String, verifyBase: String, validDays: Int) {
        self.store = store; self.signer = signer; self.origin = origin; self.siteName = siteName; self.verifyBase = verifyBase; self.validDays = validDays
    }

    public func issue(_ req: Request, today: CivilDate, now: Date = Date(), describe: (CreditRecord) -> Line?) async throws -> IssuedReport {
        if req.subject.kind.isNaturalPerson && req.kind == .publicInfo {
            throw DomainError.forbidden("自然人的信用信息不公开，只能由本人获取完整信用报告")
        }
        if let span = req.span, span.upperBound > today {
            throw DomainError.invalid(field: "to", reason: "报告期间的截止日期不能晚于今天")
        }
        let sections = ReportScope.sections(kind: req.kind, chosen: req.sections)
        if sections.isEmpty { throw DomainError.invalid(field: "sections", reason: "请至少选择一项报告内容") }
        let records = try await store.records(subjectID: req.subject.id)
        let picked: [(ReportScope.Section, [CreditRecord])] = sections.map { s in
            (s, records.filter { ReportScope.includes($0, in: s, kind: req.kind, on: today, span: req.span) }
                .sorted { ($0.window.decisionDate?.description ?? "", $0.id) > ($1.window.decisionDate?.description ?? "", $1.id) })
        }
        let absenceItems = req.kind == .special ? Array(Set(sections.flatMap(\.items))).sorted() : []
        // The records a special report's statement must account for: all of the subject's records in its items.
        let accounted = records.filter { absenceItems.contains($0.itemCode) }
        let wanted = Set(picked.flatMap { $0.1.map(\.id) } + accounted.map(\.id))

        // Evidence and checkpoint: the log must hold each record's current version, inside the checkpoint.
        var evidence: [Int64: RecordEvidence] = [:]
        var checkpoint: StoredCheckpoint?
        // Events not yet logged are logged now (the background sequencer may be seconds behind), so
        // every record's last event — a repair or an end of publicity included — is in the evidence.
        for attempt in 0..<3 {
            // Sequencing takes the write lock: only when something waits or the newest leaves are unsigned.
            let pending = try await store.ledgerPending()
            let size = try await store.ledgerSize()
            let signed = try await store.checkpoint(size: nil)
            if pending || signed?.size != size {
                _ = try await store.sequenceAndSign(signer: signer, origin: origin, now: now)
            }
            evidence = try await store.recordEvidence(recordIDs: Array(wanted))
            checkpoint = try await store.checkpoint(size: nil)
            let current = picked.flatMap(\.1).allSatisfy { r in evidence[r.id].map { $0.version == r.version } ?? false }
            if current, let c = checkpoint, evidence.values.allSatisfy({ $0.leafIndex < c.size }) { break }
            if attempt == 2 { throw DomainError.unavailable("透明日志尚未记入全部记录，请稍后再试") }
        }
        guard let checkpoint else { throw DomainError.unavailable("透明日志尚未签署检查点") }

        // Inclusion proofs, from one read of the stored subtree hashes.
        let included = picked.flatMap(\.1)
        let nodes = try await store.ledgerNodes(Array(Set(included.flatMap { r in
            NodeProofs.inclusionNodes(index: evidence[r.id]!.leafIndex, size: checkpoint.size)
        })))
        func entry(_ r: CreditRecord) throws -> CreditReport.Record? {
            guard let e = evidence[r.id], let line = describe(r) else { return nil }
            let proof = try NodeProofs.inclusionProof(index: e.leafIndex, size: checkpoint.size, hashes: nodes)
            return CreditReport.Record(record: r.id, item: r.itemCode, itemName: line.itemName, version: e.version, title: line.title,
                                       department: line.department, decisionDate: r.window.decisionDate?.description,
                                       publicUntil: r.window.until.map { $0.adding(days: -1).description }, state: line.state,
                                       disputed: r.disputed, facts: line.facts, fields: e.fields, salt: Hex.encode(e.salt), leafIndex: e.leafIndex,
                                       leaf: String(decoding: e.leaf, as: UTF8.self), proof: proof.map { Hex.encode($0) })
        }
        let spanText = req.span.map { "\($0.lowerBound) 至 \($0.upperBound)" }
        let reportSections = try picked.map { s, rs in
            let entries = try rs.compactMap(entry)
            let statement: String? = entries.isEmpty
                ? "经查询，\(spanText.map { "\($0)期间，" } ?? "截至 \(today)，")本平台未发现该主体的\(s.name)记录。"
                : nil
            return CreditReport.Section(code: s.code, name: s.name, items: s.items, records: entries, statement: statement)
        }

        var statement: CreditReport.Absence?
        if req.kind == .special {
            let shown = Set(included.map(\.id))
            let key = store.ledgerSubjectKey(subjectID: req.subject.id)
            let others = accounted.filter { !shown.contains($0.id) }.compactMap { r -> CreditReport.Absence.Other? in
                guard let e = evidence[r.id], let leaf = try? LeafData(e.leaf), leaf.belongs(toSubjectKey: key),
                      !LeafData.endingEvents.contains(leaf.event) else { return nil }
                let reason = !ReportScope.inEffect(r, on: today) ? "已不再有效（公示期届满，待登记）"
                    : r.itemCode == "sfcp" && !ReportScope.isCriminal(r) ? "非刑事裁判"
                    : "不在所选报告期间"
                return .init(record: r.id, leafIndex: e.leafIndex, reason: reason)
            }
            statement = .init(size: checkpoint.size, subjectKey: Hex.encode(key), items: absenceItems, others: others)
        }

        let validUntil = today.adding(days: validDays - 1)
        let subject = CreditReport.Subject(
            name: req.subject.name, code: req.subject.kind.isNaturalPerson ? IdentifierValidator.masked(req.subject.code) : req.subject.code,
            kind: req.subject.kind.label, status: req.subject.status.label, legalRepresentative: req.subject.legalRepresentative)
        let (issuer, verifyBase) = (CreditReport.Issuer(name: siteName, origin: origin, verifierKey: signer.verifierKey), self.verifyBase)
        let (span, cpNote, signer) = (req.span.map { CreditReport.Span(from: $0.lowerBound.description, to: $0.upperBound.description) }, checkpoint.note, self.signer)
        let (kind, absence) = (req.kind, statement)
        return try await store.issueReport(subjectID: req.subject.id, kind: kind, issuedAt: now, validUntil: validUntil,
                                           requestedBy: req.requestedBy) { id, code in
            let number = ReportCodes.number(id: id, on: today)
            let report = try CreditReport(
                number: number, kind: kind, issuedAt: Self.isoTime(now), validUntil: validUntil.description, verificationCode: code,
                verifyUrl: verifyBase + "?code=" + code, issuer: issuer, subject: subject, span: span,
                sections: reportSections, absence: absence, checkpoint: cpNote
            ).signed(by: signer)
            return (number, try report.json())
        }
    }

    /// An instant in China Standard Time, ISO 8601 with the offset.
    public static func isoTime(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}
