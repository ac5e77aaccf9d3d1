import Hummingbird
import LodestarCore
import NIOCore

/// The body was larger than allowed; raised before more than the limit is read.
struct BodyTooLarge: Error {
    let limit: Int
}

/// The body was not valid UTF-8.
struct BodyNotUTF8: Error {}

extension Request {
    /// Reads the body as UTF-8 text, refusing a declared or actual size over `limit` without reading it whole.
    func bodyText(limit: Int) async throws -> String {
        let buffer = try await self.bodyBuffer(limit: limit)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else { throw BodyNotUTF8() }
        return text
    }

    /// Reads the body's bytes, refusing a declared or actual size over `limit` without reading it whole.
    func bodyBuffer(limit: Int) async throws -> ByteBuffer {
        if let declared = self.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw BodyTooLarge(limit: limit)
        }
        do {
            return try await self.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw BodyTooLarge(limit: limit)
        }
    }

    /// The media type without parameters, lower-cased: `application/json` for `application/json; charset=utf-8`.
    var mediaType: String? {
        self.headers[.contentType]?.split(separator: ";").first.map { String($0).trimmed.lowercased() }
    }
}
