import Foundation

/// Finds the folder of templates and static files that ships beside the binary.
///
/// `Bundle.module` stops the process when its bundle is missing, which is exactly the case of a binary copied
/// elsewhere; so the places are checked by hand and a missing folder is an error the CLI can print.
public enum LodestarResources {
    /// The resource bundle's folder name, as SwiftPM names it: package, underscore, target.
    static let bundleName = "Lodestar_LodestarResources.resources"

    /// The resources folder: `override` when given, else `LODESTAR_RESOURCES`, else the bundle beside the executable.
    public static func directory(override: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let override = override ?? environment["LODESTAR_RESOURCES"] {
            let url = URL(fileURLWithPath: override)
            guard Self.isResources(url) else { throw ResourcesError.notFound(searched: [url.path], explicit: true) }
            return url
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent(Self.bundleName),
            executable.appendingPathComponent(Self.bundleName),
            // The source tree, for test runners whose main bundle lies elsewhere.
            URL(fileURLWithPath: #filePath).deletingLastPathComponent(),
        ]
        guard let found = candidates.first(where: Self.isResources) else {
            throw ResourcesError.notFound(searched: candidates.map(\.path), explicit: false)
        }
        return found
    }

    /// The OpenAPI description of the HTTP API inside a resources folder, served at `/openapi.yaml`.
    public static func openAPISpec(in directory: URL) -> URL {
        directory.appendingPathComponent("openapi.yaml")
    }

    static func isResources(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("templates/survey.mustache").path)
    }
}

/// The resources folder could not be found.
public enum ResourcesError: Error, CustomStringConvertible {
    case notFound(searched: [String], explicit: Bool)

    public var description: String {
        switch self {
        case .notFound(let searched, true):
            "no Lodestar resources in \(searched[0]) (expected templates/survey.mustache there)"
        case .notFound(let searched, false):
            "cannot find Lodestar's resources (looked in \(searched.joined(separator: ", "))); "
                + "copy the \(LodestarResources.bundleName) folder beside the binary or pass --resources DIR"
        }
    }
}
