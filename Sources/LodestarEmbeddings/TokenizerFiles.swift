import Foundation

/// Reading the model folder's tokenizer files: the vocabulary (vocab.txt) and the casing settings
/// (tokenizer.json, else tokenizer_config.json), each a `ModelError` naming the file when it cannot be used.
enum TokenizerFiles {
    /// The lines of vocab.txt. Lines are split on "\n" bytes (not on Swift Characters, where "\r\n" is one
    /// character) and a trailing "\r" is dropped; a final newline does not make an extra empty token.
    static func vocabulary(_ file: URL) throws(ModelError) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder) else {
            throw ModelError(file: file.path, "is missing: the model folder has no vocabulary")
        }
        guard !isFolder.boolValue else {
            throw ModelError(file: file.path, "is a folder, not a vocabulary file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw ModelError(file: file.path, "cannot be read: \(error.localizedDescription)")
        }
        // Decoding repairs bad bytes; comparing the result with the original is what detects them.
        guard String(decoding: data, as: UTF8.self).utf8.elementsEqual(data) else {
            throw ModelError(file: file.path, "is not valid UTF-8 text")
        }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// The casing settings of the model folder, from the most specific source present.
    static func casing(folder: URL) throws(ModelError) -> (lowercase: Bool, stripAccents: Bool) {
        let tokenizerFile = folder.appendingPathComponent("tokenizer.json")
        if let normalizer = try Self.decodeIfPresent(TokenizerFile.self, from: tokenizerFile)?.normalizer,
           let lowercase = normalizer.lowercase
        {
            return (lowercase, normalizer.stripAccents ?? lowercase)
        }
        let configFile = folder.appendingPathComponent("tokenizer_config.json")
        if let config = try Self.decodeIfPresent(TokenizerConfigFile.self, from: configFile),
           let lowercase = config.doLowerCase
        {
            return (lowercase, config.stripAccents ?? lowercase)
        }
        return (true, true)
    }

    /// The parsed file, nil when it does not exist; a file that exists but cannot be parsed is an error, since a
    /// half-understood configuration would tokenize differently from the reference without saying so.
    static func decodeIfPresent<Value: Decodable>(_ type: Value.Type, from file: URL) throws(ModelError) -> Value? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(contentsOf: file))
        } catch {
            throw ModelError(file: file.path, "cannot be read as a tokenizer configuration: \(error)")
        }
    }

    /// The part of tokenizer.json that says how text is normalised (BertNormalizer's fields).
    struct TokenizerFile: Decodable {
        struct Normalizer: Decodable {
            var lowercase: Bool?
            /// null means "same as lowercase".
            var stripAccents: Bool?

            enum CodingKeys: String, CodingKey {
                case lowercase
                case stripAccents = "strip_accents"
            }
        }

        var normalizer: Normalizer?
    }

    /// The part of tokenizer_config.json (the Python BertTokenizer's settings) that says how text is normalised.
    struct TokenizerConfigFile: Decodable {
        var doLowerCase: Bool?
        var stripAccents: Bool?

        enum CodingKeys: String, CodingKey {
            case doLowerCase = "do_lower_case"
            case stripAccents = "strip_accents"
        }
    }
}
