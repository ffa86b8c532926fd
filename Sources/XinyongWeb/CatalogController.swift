import Foundation
import Hummingbird
import XinyongCore
import XinyongSheets

/// The catalog in force, public to read; the credit office supplements it (市级补充目录).
struct CatalogController {
    let env: WebEnvironment

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1/catalog")
        api.get("", use: catalog)
        api.get("items/:code", use: item)
        api.get("items/:code/template.csv", use: csvTemplate)
        api.get("items/:code/template.xlsx", use: xlsxTemplate)
        api.put("items/:code", use: putItem)
        api.post("items/:code/fields", use: addFields)
        api.put("code-lists/:name", use: putCodeList)
    }

    static func json(_ value: some Encodable) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try JSONCoding.encoder.encode(value))))
    }

    @Sendable func catalog(_ request: Request, context: AppRequestContext) async throws -> Response {
        try Self.json(try await env.store.catalog())
    }

    @Sendable func item(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let item = try await env.store.catalog().item(code) else {
            throw DomainError.notFound(what: "目录项 \(code.prefix(40))")
        }
        return try Self.json(item)
    }

    /// The CSV template: Chinese labels (required ones marked `*`), UTF-8 with BOM for Excel.
    @Sendable func csvTemplate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let item = try await env.store.catalog().item(code) else { throw DomainError.notFound(what: "目录项 \(code.prefix(40))") }
        return SubmissionsController.download(ByteBuffer(string: FileIntake.csvTemplate(item)), type: "text/csv; charset=utf-8",
                                              ascii: "\(item.code).csv", name: "\(item.name)模板.csv")
    }

    /// The Excel template: the 填报 sheet (text-formatted columns, drop-downs for code lists) and 填写说明.
    @Sendable func xlsxTemplate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let catalog = try await env.store.catalog()
        guard let item = catalog.item(code) else { throw DomainError.notFound(what: "目录项 \(code.prefix(40))") }
        return SubmissionsController.download(ByteBuffer(bytes: try Workbooks.template(item, catalog: catalog)), type: SubmissionsController.xlsxType,
                                              ascii: "\(item.code).xlsx", name: "\(item.name)模板.xlsx")
    }

    @Sendable func putItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin])
        let code = try context.parameters.require("code")
        let item = try await request.decodeBody(CatalogItem.self, context: context, expected: "目录项定义（code、name、category、openness、publicity、fields、natural_key、rules）")
        guard item.code == code else { throw DomainError.invalid(field: "code", reason: "请求体中的 code 与地址中的目录项代码不一致") }
        try await env.store.putLocalItem(item, actor: p.auditLabel)
        await env.checkRules.invalidate()
        return try await self.item(request, context: context)
    }

    struct FieldsBody: Decodable { var fields: [CatalogField] }

    @Sendable func addFields(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin])
        let code = try context.parameters.require("code")
        let body = try await request.decodeBody(FieldsBody.self, context: context, expected: "{\"fields\": [字段定义…]}")
        try await env.store.addLocalFields(body.fields, to: code, actor: p.auditLabel)
        return try await self.item(request, context: context)
    }

    struct CodeListBody: Decodable { var values: [String] }

    @Sendable func putCodeList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try context.require([.admin])
        let name = try context.parameters.require("name")
        let body = try await request.decodeBody(CodeListBody.self, context: context, expected: "{\"values\": [取值…]}")
        try await env.store.putCodeList(name, values: body.values, actor: p.auditLabel)
        return JSONValue.fields([("name", .string(name)), ("values", .array(body.values.map { .string($0) }))]).response()
    }
}
