import Foundation
import Hummingbird
import XinyongCore

/// The credit office's link work: the queue of records without a usable code and of rows held
/// for a pilot code, linking by hand, confirming or returning held rows, and the 重错码 report.
struct LinkController {
    let env: WebEnvironment

    func register(on router: Router<AppRequestContext>) {
        router.get("api/v1/link-queue", use: queue)
        router.post("api/v1/link-queue/records/:id", use: linkRecord)
        router.post("api/v1/link-queue/held/:submission/:row", use: resolveHeld)
        router.get("api/v1/reports/suspect-codes", use: suspectCodes)
    }

    @Sendable func queue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin])
        let entries = try await env.store.linkQueue(limit: request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 200)
        try await env.store.recordAccess(actor: p.auditLabel, action: "link_queue.read", subjectID: nil, detail: "GET /api/v1/link-queue")
        return JSONValue.fields([("entries", .array(entries.map { e in
            .fields([("code", JSONValue(e.code)), ("department", .string(e.departmentCode)), ("item", .string(e.itemCode)),
                     ("kind", .string(e.kind.rawValue)), ("name", JSONValue(e.name)), ("note", .string(e.note)),
                     ("received_at", .string(e.receivedAt.formatted(.iso8601))), ("record_id", e.recordID.map { .int(Int($0)) } ?? .null),
                     ("row", .int(e.row)), ("submission_id", .int(Int(e.submissionID)))])
        }))]).response()
    }

    struct LinkBody: Decodable { var subjectCode: String }

    @Sendable func linkRecord(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin])
        guard let id = Int64(try context.parameters.require("id")) else { throw DomainError.notFound(what: "该记录") }
        let body = try await request.decodeBody(LinkBody.self, context: context, expected: "{\"subject_code\": \"主体的统一社会信用代码\"}")
        let r = try await env.store.linkRecord(id: id, subjectCode: body.subjectCode, actor: p.auditLabel)
        return JSONValue.fields([("id", .int(Int(r.id))), ("subject_id", r.subjectID.map { .int(Int($0)) } ?? .null),
                                 ("version", .int(r.version))]).response()
    }

    struct HeldBody: Decodable { var action: String; var reason: String }

    @Sendable func resolveHeld(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin])
        guard let submission = Int64(try context.parameters.require("submission")), let row = Int(try context.parameters.require("row")) else {
            throw DomainError.notFound(what: "待确认的行")
        }
        let body = try await request.decodeBody(HeldBody.self, context: context, expected: "{\"action\": \"confirm\" 或 \"reject\", \"reason\": \"理由\"}")
        guard ["confirm", "reject"].contains(body.action) else {
            throw DomainError.invalid(field: "action", reason: "action 应为 confirm（确认代码并入库）或 reject（退回）")
        }
        let result = try await env.store.resolveHeldRow(submissionID: submission, row: row, confirm: body.action == "confirm",
                                                        reason: body.reason, actor: p.auditLabel, catalog: try await env.store.catalog())
        return JSONValue.fields([("action", .string(body.action)), ("submission_id", result.map { .int(Int($0.id)) } ?? .null)]).response()
    }

    @Sendable func suspectCodes(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require([.admin])
        let r = try await env.store.suspectCodes(limit: request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 200)
        return JSONValue.fields([
            ("codes_with_several_names", .array(r.codesWithSeveralNames.map {
                .fields([("code", .string($0.code)), ("other_names", .array($0.otherNames.map { .string($0) })),
                         ("records", .int($0.records)), ("registered_name", .string($0.registeredName))])
            })),
            ("names_with_several_codes", .array(r.namesWithSeveralCodes.map {
                .fields([("codes", .array($0.codes.map { .string($0) })), ("name", .string($0.name)), ("records", .int($0.records))])
            })),
        ]).response()
    }
}
