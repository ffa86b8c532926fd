import Foundation
import Hummingbird
import XinyongCore

/// The catalog in the console: every item with its fields, openness and publicity rule, what the
/// credit office added (市级补充目录), and forms to add optional local fields and to set a local
/// code list's values. Staff read it; administrators change it, through the same store checks as
/// the API (national data cannot be made stricter or replaced).
struct CatalogPagesController {
    let env: WebEnvironment
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/console/catalog", use: index)
        router.get("/console/catalog/new", use: newItem)
        router.post("/console/catalog", use: createItem)
        router.get("/console/catalog/:code", use: item)
        router.post("/console/catalog/:code/fields", use: addField)
        router.post("/console/catalog/code-lists/:name", use: putCodeList)
    }

    static let publicityLabels = ["penalty": "按处罚决定（最长公示期）", "validity": "有效期内公示", "list": "列入名单期间公示",
                                  "decision": "自决定之日起公示", "none": "不公示"]
    static let kindLabels: [CatalogField.Kind: String] = [.text: "文本", .date: "日期", .amount: "金额（万元）", .code: "代码表取值",
                                                         .uscc: "统一社会信用代码", .orgCode: "组织机构代码", .identityNumber: "证件号码"]

    struct IndexModel {
        var chooseDepartment: Bool; var version: String; var items: [Line]
        struct Line { var code: String; var name: String; var category: String; var openness: String; var publicity: String; var fields: Int; var local: Bool; var localFields: Int }
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try ConsoleController.staff(context)
        let catalog = try await env.store.catalog()
        let supplement = try await env.store.catalogSupplement()
        let localItems = Set(supplement.items.map(\.code))
        let model = IndexModel(chooseDepartment: p.role == .admin, version: catalog.version, items: catalog.items.map { i in
            .init(code: i.code, name: i.name, category: i.category, openness: i.openness.label,
                  publicity: Self.publicityLabels[i.publicity] ?? i.publicity, fields: i.fields.count, local: localItems.contains(i.code),
                  localFields: supplement.fields[i.code]?.count ?? 0)
        })
        return renderer.page("console_catalog", model, title: "信息目录", env: env, context: context)
    }

    struct ItemModel {
        var chooseDepartment: Bool; var csrf: String; var notice: String?; var error: String?
        var code: String; var name: String; var category: String; var openness: String; var publicity: String; var note: String?
        var naturalKey: String; var fields: [Field]; var lists: [List]; var kinds: [PublicationController.Option]
        var codeListOptions: [PublicationController.Option]; var form: [String: String]
        struct Field { var name: String; var label: String; var kind: String; var required: Bool; var maxLength: Int?; var codeList: String?; var local: Bool }
        struct List { var name: String; var values: String; var editable: Bool; var lines: String; var extensible: Bool }
    }

    private func render(_ context: AppRequestContext, code: String, notice: String? = nil, error: String? = nil, form: FormData? = nil,
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let p = try ConsoleController.staff(context)
        let catalog = try await env.store.catalog()
        guard let item = catalog.item(code) else { throw DomainError.notFound(what: "目录项 \(code.prefix(40))") }
        let supplement = try await env.store.catalogSupplement()
        let local = Set((supplement.fields[code] ?? []).map(\.name))
        let isLocalItem = supplement.items.contains { $0.code == code }
        let used = Array(Set(item.fields.compactMap(\.codeList))).sorted()
        let extensible = Set(catalog.extensibleCodeLists ?? [])
        let admin = p.role == .admin
        let model = ItemModel(
            chooseDepartment: admin, csrf: context.csrfToken ?? "", notice: notice, error: error,
            code: item.code, name: item.name, category: item.category, openness: item.openness.label,
            publicity: Self.publicityLabels[item.publicity] ?? item.publicity, note: item.note,
            naturalKey: item.naturalKey.compactMap { k in item.field(k)?.label }.joined(separator: " + "),
            fields: item.fields.map { f in
                .init(name: f.name, label: f.label, kind: Self.kindLabels[f.kind] ?? f.kind.rawValue, required: f.required,
                      maxLength: f.maxLength, codeList: f.codeList, local: isLocalItem || local.contains(f.name))
            },
            lists: used.map { name in
                let values = catalog.codeLists[name] ?? []
                let shipped = Catalog.shipped.codeLists[name] != nil
                return .init(name: name, values: values.joined(separator: "、"), editable: admin && (!shipped || extensible.contains(name)),
                             lines: (supplement.codeLists[name] ?? (shipped ? [] : values)).joined(separator: "\n"), extensible: extensible.contains(name))
            },
            kinds: [CatalogField.Kind.text, .date, .amount, .code].map {
                .init(value: $0.rawValue, label: Self.kindLabels[$0]!, selected: form?["kind"] == $0.rawValue)
            },
            codeListOptions: [.init(value: "", label: "（不用代码表）", selected: (form?["code_list"] ?? "").isEmpty)]
                + catalog.codeLists.keys.sorted().map { .init(value: $0, label: $0, selected: form?["code_list"] == $0) },
            form: ["name": form?["name"] ?? "", "label": form?["label"] ?? "", "max_length": form?["max_length"] ?? ""])
        return renderer.page("console_catalog_item", model, title: "目录项：\(item.name)", env: env, context: context, status: status)
    }

    static let notices = ["field": "已添加本地字段：报送模板和校验立即生效。", "list": "已保存代码表取值：校验立即生效。",
                          "item": "已新增本地目录项：部门现在可以下载模板并报送。"]

    @Sendable func item(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context, code: try context.parameters.require("code"),
                         notice: request.uri.queryParameters.get("done").flatMap { Self.notices[String($0)] })
    }

    func administrator(_ context: AppRequestContext) throws -> Principal {
        try ConsoleController.administrator(context, refusal: "信息目录由信用办管理员维护")
    }

    @Sendable func addField(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try administrator(context)
        let code = try context.parameters.require("code")
        let values = try await FormData.read(request)
        do {
            guard let kind = CatalogField.Kind(rawValue: values["kind"] ?? "") else { throw DomainError.invalid(field: "kind", reason: "请选择字段类型") }
            var maxLength: Int?
            if let raw = values["max_length"], !raw.isEmpty {
                guard let n = Int(raw), (1...4000).contains(n) else { throw DomainError.invalid(field: "max_length", reason: "最大长度应为 1–4000 的整数") }
                maxLength = n
            }
            let field = CatalogField(name: (values["name"] ?? "").trimmingCharacters(in: .whitespaces),
                                     label: (values["label"] ?? "").trimmingCharacters(in: .whitespaces), kind: kind, required: false,
                                     maxLength: maxLength, codeList: (values["code_list"] ?? "").nilIfEmpty)
            try await env.store.addLocalFields([field], to: code, actor: p.auditLabel)
            return .redirect(to: "/console/catalog/\(code)?done=field", type: .normal)
        } catch let e as DomainError where e.isCorrectable {
            return try await render(context, code: code, error: e.message, form: values, status: Problem.from(e).status)
        }
    }

    @Sendable func putCodeList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try administrator(context)
        let name = try context.parameters.require("name")
        let values = try await FormData.read(request)
        let back = values["item"] ?? ""
        do {
            let list = (values["values"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            try await env.store.putCodeList(name, values: list, actor: p.auditLabel)
            return .redirect(to: "/console/catalog/\(back)?done=list", type: .normal)
        } catch let e as DomainError where e.isCorrectable {
            return try await render(context, code: back, error: e.message, status: Problem.from(e).status)
        }
    }
}

extension CatalogPagesController {
    struct NewItemModel {
        var chooseDepartment = true
        var csrf: String; var error: String?; var form: LocalItemForm
        var opennessOptions: [PublicationController.Option]; var publicityOptions: [PublicationController.Option]
    }

    func newItemPage(_ context: AppRequestContext, form: LocalItemForm, error: String?, status: HTTPResponse.Status) -> Response {
        renderer.page("console_catalog_new", NewItemModel(
            csrf: context.csrfToken ?? "", error: error, form: form,
            opennessOptions: Openness.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.openness) },
            publicityOptions: LocalItemForm.publicityRules.map { .init(value: $0, label: Self.publicityLabels[$0] ?? $0, selected: $0 == form.publicity) }),
            title: "新增本地目录项", env: env, context: context, status: status)
    }

    @Sendable func newItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try administrator(context)
        return newItemPage(context, form: LocalItemForm(), error: nil, status: .ok)
    }

    @Sendable func createItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try administrator(context)
        let v = try await FormData.read(request, limit: 1 << 18)
        let form = LocalItemForm(code: v["code"] ?? "", name: v["name"] ?? "", category: v["category"] ?? "", openness: v["openness"] ?? "",
                                 publicity: v["publicity"] ?? "", fields: v["fields"] ?? "", naturalKey: v["natural_key"] ?? "",
                                 subjectName: v["subject_name"] ?? "", subjectCode: v["subject_code"] ?? "",
                                 decisionDate: v["decision_date"] ?? "", validUntil: v["valid_until"] ?? "")
        do {
            let item = try form.item()
            guard try await env.store.catalog().item(item.code) == nil else {
                throw DomainError.conflict("目录项代码 \(item.code) 已被使用")
            }
            try await env.store.putLocalItem(item, actor: p.auditLabel)
            await env.checkRules.invalidate()
            return .redirect(to: "/console/catalog/\(item.code)?done=item", type: .normal)
        } catch let e as DomainError where e.isCorrectable {
            return newItemPage(context, form: form, error: e.message, status: Problem.from(e).status)
        }
    }
}
