import Foundation
import Hummingbird
import MultipartKit
import XinyongCore

/// A `multipart/form-data` body (the upload form), parsed with MultipartKit's parser.
struct MultipartForm {
    struct File { var filename: String; var contentType: String?; var data: ByteBuffer }
    private(set) var fields: [String: String] = [:]
    private(set) var files: [String: File] = [:]

    /// The boundary of a `multipart/form-data` content type, if it is one.
    static func boundary(_ contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for part in contentType.split(separator: ";").dropFirst() {
            let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                let b = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return b.isEmpty || b.count > 200 ? nil : b
            }
        }
        return nil
    }

    init(_ body: ByteBuffer, boundary: String) throws {
        let parser = MultipartParser(boundary: boundary)
        var headers: [String: String] = [:]
        var data = ByteBuffer()
        var parts: [(headers: [String: String], data: ByteBuffer)] = []
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { chunk in data.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append((headers, data))
            headers = [:]
            data = ByteBuffer()
        }
        do { try parser.execute(body) } catch {
            throw DomainError.invalid(field: "form", reason: "表单数据不完整或格式错误，请刷新页面后重新提交")
        }
        for part in parts {
            guard let disposition = part.headers["content-disposition"], let name = Self.parameter("name", in: disposition) else { continue }
            if let filename = Self.parameter("filename", in: disposition) {
                files[name] = File(filename: filename, contentType: part.headers["content-type"], data: part.data)
            } else if part.data.readableBytes <= 1 << 15 {
                fields[name] = String(buffer: part.data)
            }
        }
    }

    private static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let kv = piece.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].lowercased() == name {
                return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
