import Foundation

/// A reader for the safetensors format (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
/// length, a JSON header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
/// Only float32 tensors are read; every range and size is checked before a byte is copied, so a truncated or
/// corrupt file is an error naming the file and the tensor, never a crash.
struct SafeTensors {
    struct Entry {
        var dtype: String
        var shape: [Int]
        var range: Range<Int>
    }

    let path: String
    let entries: [String: Entry]
    private let data: Data
    /// Where the tensor data starts: after the length and the header.
    private let dataStart: Int

    /// Headers larger than this are refused: the real one is about 11 KB.
    static let maximumHeader = 100_000_000

    init(file: URL) throws(ModelError) {
        self.path = file.path
        let data: Data
        do {
            data = try Data(contentsOf: file, options: .alwaysMapped)
        } catch {
            throw ModelError(file: file.path, "cannot be read (\(Self.reason(error)))")
        }
        guard data.count >= 8 else { throw ModelError(file: file.path, "is not a safetensors file: shorter than its 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(Self.maximumHeader), Int(headerLength) <= data.count - 8 else {
            throw ModelError(file: file.path, "is not a safetensors file: its header length (\(headerLength) bytes) does not fit the file")
        }
        let header = data.subdata(in: 8..<(8 + Int(headerLength)))
        guard let object = try? JSONSerialization.jsonObject(with: header), let fields = object as? [String: Any] else {
            throw ModelError(file: file.path, "is corrupt: its header is not a JSON object")
        }
        self.data = data
        self.dataStart = 8 + Int(headerLength)
        let available = data.count - self.dataStart
        var entries: [String: Entry] = [:]
        for (name, value) in fields where name != "__metadata__" {
            guard let field = value as? [String: Any], let dtype = field["dtype"] as? String,
                let shape = (field["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                let offsets = (field["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }), offsets.count == 2,
                shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1]
            else { throw ModelError(file: file.path, "is corrupt: the header entry of tensor \(name) is malformed") }
            guard offsets[1] <= available else {
                throw ModelError(file: file.path, "is truncated: tensor \(name) ends at byte \(offsets[1]) of the data, which holds \(available)")
            }
            entries[name] = Entry(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
        }
        self.entries = entries
    }

    /// The float32 tensor `name`, which must have `shape`, as one row-major array.
    func floats(_ name: String, shape: [Int]) throws(ModelError) -> [Float] {
        guard let entry = self.entries[name] else { throw ModelError(file: self.path, "has no tensor \(name)") }
        guard entry.dtype == "F32" else { throw ModelError(file: self.path, "tensor \(name) is \(entry.dtype), expected F32") }
        guard entry.shape == shape else {
            throw ModelError(file: self.path, "tensor \(name) has shape \(entry.shape), expected \(shape)")
        }
        let count = shape.reduce(1, *)
        guard entry.range.count == count * MemoryLayout<Float>.size else {
            throw ModelError(file: self.path, "tensor \(name) holds \(entry.range.count) bytes, expected \(count * 4) for shape \(shape)")
        }
        let start = self.dataStart + entry.range.lowerBound
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBytes { target in
            self.data.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + entry.range.count)]))
            }
        }
        // The format is little-endian; so is every machine Swift runs on today, but say so rather than assume.
        if UInt32(littleEndian: 1) != 1 {
            for index in values.indices { values[index] = Float(bitPattern: UInt32(littleEndian: values[index].bitPattern)) }
        }
        return values
    }

    static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
