import Foundation
import Hummingbird
import Logging
import XinyongCore

/// An error as the client sees it: RFC 9457 problem JSON on `/api/*` and `/healthz`, a Chinese
/// error page everywhere else. The detail is always Chinese and never carries internals.
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var slug: String
    public var title: String
    public var detail: String
    public var field: String?
    public var requestID: String?
    public var headers: HTTPFields = [:]

    public init(status: HTTPResponse.Status, slug: String, title: String, detail: String, field: String? = nil) {
        self.status = status; self.slug = slug; self.title = title; self.detail = detail; self.field = field
    }

    public static func from(_ e: DomainError) -> Problem {
        switch e {
        case .notFound(let what): Problem(status: .notFound, slug: "not-found", title: "未找到", detail: "未找到\(what)")
        case .invalid(let field, let reason): Problem(status: .unprocessableContent, slug: "invalid-input", title: "输入有误", detail: reason, field: field)
        case .conflict(let m): Problem(status: .conflict, slug: "conflict", title: "与现有数据冲突", detail: m)
        case .unauthenticated(let m): Problem(status: .unauthorized, slug: "unauthenticated", title: "需要登录", detail: m)
        case .forbidden(let m): Problem(status: .forbidden, slug: "forbidden", title: "无权访问", detail: m)
        case .tooManyRequests(let s, let m):
            { var p = Problem(status: .tooManyRequests, slug: "too-many-requests", title: "请求过于频繁", detail: m)
              p.headers[.retryAfter] = String(s); return p }()
        case .unavailable(let m): Problem(status: .serviceUnavailable, slug: "unavailable", title: "服务暂不可用", detail: m)
        }
    }

    /// The request path with any identity number in it masked: problems never echo personal data.
    static func maskedPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { seg in
            let decoded = String(seg).removingPercentEncoding ?? String(seg)
            let code = IdentifierValidator.normalize(decoded)
            return IdentifierValidator.looksLikeResidentID(code) ? IdentifierValidator.maskResidentID(code) : String(seg)
        }.joined(separator: "/")
    }

    static func isAPI(_ path: String) -> Bool { path.hasPrefix("/api/") || path == "/healthz" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let rid = requestID ?? (context as? AppRequestContext)?.requestID
        var headers = self.headers
        if Self.isAPI(request.uri.path) {
            var body: [String: JSONValue] = [
                "type": .string("/problems/\(slug)"), "title": .string(title), "status": .int(Int(status.code)),
                "detail": .string(detail), "instance": .string(Self.maskedPath(request.uri.path)),
            ]
            if let field { body["field"] = .string(field) }
            if let rid { body["request_id"] = .string(rid) }
            return JSONValue.object(body).response(status: status, contentType: "application/problem+json; charset=utf-8",
                                                   headers: headers)
        }
        headers[.contentType] = "text/html; charset=utf-8"
        let html = ErrorPage.render(status: Int(status.code), title: title, detail: detail, requestID: rid,
                                    signIn: status == .unauthorized)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// A JSON value for hand-built bodies where nulls must be explicit.
enum JSONValue: Encodable, Sendable {
    case string(String), int(Int), bool(Bool), null, array([JSONValue]), object([String: JSONValue])
    /// An object whose members are already in key order (written as given, without sorting).
    case fields([(String, JSONValue)])

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        case .fields(let f): try c.encode(Dictionary(f, uniquingKeysWith: { a, _ in a }))
        }
    }

    init(_ s: String?) { self = s.map { .string($0) } ?? .null }

    /// RFC 8259 text (UTF-8) with object keys sorted and slashes unescaped, written directly:
    /// the generic `JSONEncoder` path cost a seventh of a subject lookup's CPU time.
    var serialized: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(into: &out)
        return out
    }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .string(let s): JSONText.appendString(s, to: &out)
        case .int(let i): out += Array(String(i).utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .null: out += Array("null".utf8)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (i, k) in o.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(k, to: &out)
                out.append(UInt8(ascii: ":"))
                o[k]!.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .fields(let f):
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in f.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(k, to: &out)
                out.append(UInt8(ascii: ":"))
                v.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON response with this value as its body.
    func response(status: HTTPResponse.Status = .ok, contentType: String = "application/json; charset=utf-8",
                  headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: serialized)))
    }
}

/// Turns every error into a `Problem`: domain errors by their meaning, the framework's own
/// 4xx errors with a Chinese detail, and anything else into a 500 that shows only the request
/// id and is logged at error level with its cause. Also adds the request id and security headers.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let p as Problem {
            var p = p
            p.requestID = context.requestID
            if p.status.code >= 500 { context.logger.error("请求失败", metadata: ["request_id": .string(context.requestID), "problem": .string(p.slug)]) }
            response = try p.response(from: request, context: context)
        } catch let e as DomainError {
            var p = Problem.from(e)
            p.requestID = context.requestID
            if p.status.code >= 500 {
                context.logger.error("依赖不可用", metadata: ["request_id": .string(context.requestID), "detail": .string(p.detail)])
            }
            response = try p.response(from: request, context: context)
        } catch let e as HTTPError {
            var p = Self.problem(for: e)
            p.requestID = context.requestID
            if e.status.code >= 500 {
                context.logger.error("请求失败", metadata: ["request_id": .string(context.requestID), "error": .string("\(e)")])
            }
            response = try p.response(from: request, context: context)
        } catch let e as any HTTPResponseError where e.status.code < 500 {
            // Framework errors with a status of their own (a body over its limit: 413) keep it.
            var p = Self.problem(for: HTTPError(e.status))
            p.requestID = context.requestID
            response = try p.response(from: request, context: context)
        } catch {
            context.logger.error("未处理的错误", metadata: [
                "request_id": .string(context.requestID), "path": .string(request.uri.path),
                "error.type": .string(String(reflecting: type(of: error))), "error": .string(String(describing: error)),
            ])
            var p = Problem(status: .internalServerError, slug: "internal", title: "服务器内部错误",
                            detail: "服务器处理请求时出错，请稍后重试。如问题持续，请向管理员提供请求编号 \(context.requestID)。")
            p.requestID = context.requestID
            response = try p.response(from: request, context: context)
        }
        response.headers[.init("X-Request-Id")!] = context.requestID
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"
        }
        return response
    }

    static func problem(for e: HTTPError) -> Problem {
        switch e.status {
        case .notFound: Problem(status: .notFound, slug: "not-found", title: "未找到", detail: "请求的地址不存在")
        case .methodNotAllowed: Problem(status: .methodNotAllowed, slug: "method-not-allowed", title: "方法不允许", detail: "该地址不支持此请求方法")
        case .contentTooLarge: Problem(status: .contentTooLarge, slug: "too-large", title: "请求体过大", detail: "请求体超过允许的大小")
        case .badRequest: Problem(status: .badRequest, slug: "bad-request", title: "请求格式错误",
                                  detail: "请求无法解析" + (e.body.map { "：\($0)" } ?? ""))
        case .unsupportedMediaType: Problem(status: .unsupportedMediaType, slug: "unsupported-media-type", title: "不支持的内容类型",
                                            detail: "请求的内容类型不受支持，请使用 application/json")
        default: Problem(status: e.status, slug: "http-\(e.status.code)", title: "请求失败", detail: "请求失败（\(e.status.code)）")
        }
    }
}
