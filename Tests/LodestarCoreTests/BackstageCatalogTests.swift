import Foundation
import Testing

@testable import LodestarCore

/// Backstage catalog entities read into the service → team map.
struct BackstageCatalogTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/backstage")

    static func read(_ names: [String]) throws -> BackstageCatalog {
        var catalog = BackstageCatalog()
        for name in names {
            try catalog.read(yaml: try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8), file: name)
        }
        return catalog
    }

    @Test func aComponentMapsItsNameToItsOwnerAndOtherKindsAreCounted() throws {
        let catalog = try Self.read(["catalog-info.yaml"])
        #expect(catalog.owners.map { "\($0.service)=\($0.team)" } == ["artist-web=artist-relations-team"])
        #expect(catalog.skipped == ["kind: API": 1])
    }

    @Test func theGitHubSlugNamesTheServiceAndAGroupReferenceTheTeam() throws {
        let catalog = try Self.read(["payments/catalog-info.yaml"])
        #expect(catalog.owners.map { "\($0.service)=\($0.team)" } == ["payments=payments-team"])
        #expect(catalog.skipped == ["Component without spec.owner": 1])
    }

    @Test func yamlThatDoesNotParseNamesTheFileAndLine() {
        var catalog = BackstageCatalog()
        #expect(throws: CatalogError.self) { try catalog.read(yaml: "kind: Component\nmetadata: [unclosed\n", file: "broken.yaml") }
        do {
            try catalog.read(yaml: "kind: Component\nmetadata: [unclosed\n", file: "broken.yaml")
        } catch {
            #expect(error.description.hasPrefix("broken.yaml:"))
        }
    }

    @Test func aLaterEntityForTheSameServiceReplacesTheEarlier() throws {
        var catalog = BackstageCatalog()
        let entity = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: api\nspec:\n  owner: "
        try catalog.read(yaml: entity + "old-team\n---\n" + entity + "new-team\n", file: "two.yaml")
        #expect(catalog.owners.map(\.team) == ["new-team"])
    }
}
