import Foundation
import Hummingbird
import XinyongCore

/// Per-request state: who is asking, the request id that ties logs to error pages, and the
/// session's CSRF token when signed in through the browser.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    public var csrfToken: String?
    public var requestID: String
    /// The client's address, for throttling; never logged with personal data.
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestID = Tokens.random(bytes: 8, hex: true)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    public var requestDecoder: JSONDecoder { JSONCoding.decoder }
    public var responseEncoder: JSONEncoder { JSONCoding.encoder }
}

/// JSON on the wire is snake_case; dates are ISO 8601.
enum JSONCoding {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.dateDecodingStrategy = .iso8601
        return d
    }()
}

extension Request {
    /// Decodes a JSON body; a malformed one becomes a 422 saying what was expected.
    func decodeBody<T: Decodable>(_ type: T.Type, context: AppRequestContext, expected: String) async throws -> T {
        do {
            return try await decode(as: T.self, context: context)
        } catch let e as HTTPError where e.status == .badRequest {
            throw DomainError.invalid(field: "body", reason: "请求体应为\(expected)：\(e.body ?? "格式错误")")
        }
    }
}
