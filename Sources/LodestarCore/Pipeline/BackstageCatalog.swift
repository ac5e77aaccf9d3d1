import Foundation
import Yams

/// Backstage catalog entities (`catalog-info.yaml`, one or several documents a file) read into the service → team
/// map, so `--by team` works without typing every service. A `kind: Component` gives its service (the repository of
/// its `github.com/project-slug` annotation, else its `metadata.name`) and its team (`spec.owner`, without a
/// `group:` kind or a namespace). Other kinds, and components without an owner, are skipped and counted.
/// Entity format: https://backstage.io/docs/features/software-catalog/descriptor-format
public struct BackstageCatalog: Sendable, Equatable {
    /// Service → team, in the order read; a later entity for the same service replaces an earlier one.
    public var owners: [(service: String, team: String)] = []
    /// Why entities were skipped (`kind: API`, `Component without spec.owner`), with how many.
    public var skipped: [String: Int] = [:]

    public init() {}

    public static func == (left: BackstageCatalog, right: BackstageCatalog) -> Bool {
        left.owners.map { [$0.service, $0.team] } == right.owners.map { [$0.service, $0.team] } && left.skipped == right.skipped
    }

    /// Adds the entities of one file's text; `file` names it in errors, which give the line.
    public mutating func read(yaml: String, file: String) throws(CatalogError) {
        var documents: [Node] = []
        do {
            // One root at a time: a document that does not parse throws here (compose_all's sequence stops silently).
            let parser = try Parser(yaml: yaml)
            while let root = try parser.nextRoot() { documents.append(root) }
        } catch let error as YamlError {
            throw CatalogError(file: file, line: error.line, message: "not valid YAML: \(error.problem)")
        } catch {
            throw CatalogError(file: file, line: 0, message: "not valid YAML: \(error)")
        }
        for document in documents {
            guard let entity = document.mapping else {
                throw CatalogError(file: file, line: document.mark?.line ?? 0, message: "an entity must be a mapping (apiVersion, kind, metadata, spec)")
            }
            let kind = entity["kind"]?.string ?? ""
            guard kind.lowercased() == "component" else {
                self.skipped["kind: \(kind.isEmpty ? "(none)" : kind)", default: 0] += 1
                continue
            }
            let metadata = entity["metadata"]?.mapping
            let slug = metadata?["annotations"]?.mapping?["github.com/project-slug"]?.string
            let repository = slug.flatMap { $0.split(separator: "/").last.map(String.init) }?.nilIfEmpty
            guard let service = repository ?? metadata?["name"]?.string?.nilIfEmpty else {
                throw CatalogError(file: file, line: document.mark?.line ?? 0, message: "metadata.name: a Component needs a name")
            }
            guard let owner = entity["spec"]?.mapping?["owner"]?.string.flatMap(Self.team) else {
                self.skipped["Component without spec.owner", default: 0] += 1
                continue
            }
            self.owners.removeAll { $0.service == service }
            self.owners.append((service, owner))
        }
    }

    /// A Backstage entity reference as a team name: `group:default/payments`, `default/payments` and `payments` are
    /// all `payments`.
    static func team(_ reference: String) -> String? {
        var name = reference.trimmingCharacters(in: .whitespaces)
        if let colon = name.firstIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        return name.nilIfEmpty
    }
}

/// A catalog file that cannot be read, with where.
public struct CatalogError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { "\(self.file):\(self.line): \(self.message)" }
}
