import Foundation
import Testing

@testable import LodestarCore

/// ServiceNow incident records, as the README's business rule sends them and as the Table API writes them.
struct ServiceNowWebhookTests: WebhookTesting {
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/webhooks/servicenow/\(name).json"))
    }

    func outcome(_ body: Data, options: WebhookOptions = WebhookOptions()) throws -> WebhookOutcome {
        try ServiceNowWebhook.outcome(of: WebhookDelivery(headers: [:], body: body), options: options)
    }

    func incident(_ name: String, options: WebhookOptions = WebhookOptions()) throws -> IncidentEvent {
        try #require(try self.incidents(self.outcome(Self.fixture(name), options: options)).first)
    }

    @Test func anOpenIncidentOpensAtItsOpenedAtInUTCUnderItsConfigurationItem() throws {
        let incident = try self.incident("opened")
        #expect(incident.id == "servicenow:INC0010002")
        #expect(incident.service == "checkout-api")
        #expect(incident.title == "Checkout returns 500 for every card payment")
        #expect(incident.openedAt == self.date("2026-11-02T10:15:00Z"))
        #expect(incident.resolvedAt == nil)
    }

    @Test func aResolvedIncidentIsResolvedAtItsResolvedAt() throws {
        #expect(try self.incident("resolved").resolvedAt == self.date("2026-11-02T11:05:30Z"))
    }

    @Test func aRootCauseInTheCloseNotesNamesTheCommit() throws {
        #expect(try self.incident("resolved").rootCauseSHA == "4f2a9c1d")
    }

    @Test func aTableAPIRecordIsReadByItsInternalValuesAndItsReferencesByName() throws {
        let incident = try self.incident("table-api-record")
        #expect(incident.id == "servicenow:INC0000060")
        #expect(incident.service == "EXCH-SD-05")
        #expect(incident.openedAt == self.date("2016-12-12T15:19:57Z"))
        #expect(incident.resolvedAt == self.date("2016-12-13T17:43:37Z"))
    }

    @Test func aClosedIncidentWithoutResolvedAtIsResolvedWhenClosed() throws {
        let body = Data(#"{"number":"INC1","state":"7","opened_at":"2026-11-02 10:00:00","resolved_at":"","closed_at":"2026-11-02 12:00:00"}"#.utf8)
        #expect(try self.incidents(self.outcome(body)).first?.resolvedAt == self.date("2026-11-02T12:00:00Z"))
    }

    @Test func withoutAConfigurationItemTheBusinessServiceNamesTheService() throws {
        let body = Data(#"{"number":"INC1","opened_at":"2026-11-02 10:00:00","cmdb_ci":"","business_service":"Online Store"}"#.utf8)
        #expect(try self.incidents(self.outcome(body)).first?.service == "Online Store")
    }

    @Test func theServiceMapNamesTheLodestarServiceByNameOrSysId() throws {
        #expect(try self.incident("opened", options: WebhookOptions(serviceMap: ["checkout-api": "checkout"])).service == "checkout")
        let bySysId = WebhookOptions(serviceMap: ["281190e3c0a8000b003f593aa3f20ca6": "mail"])
        #expect(try self.incident("table-api-record", options: bySysId).service == "mail")
    }

    @Test func aCanceledIncidentIsIgnored() throws {
        let outcome = try self.outcome(Self.fixture("canceled"))
        guard case .ignored(let reason) = outcome else {
            Issue.record("expected ignored, got \(outcome)")
            return
        }
        #expect(reason.contains("INC0010003"))
        #expect(ServiceNowWebhook.kind(of: WebhookDelivery(headers: [:], body: try Self.fixture("canceled"))) == "incident.canceled")
    }

    @Test func aRecordOfAnotherTableIsIgnored() throws {
        let body = Data(#"{"number":"CHG0000001","sys_class_name":"change_request","opened_at":"2026-11-02 10:00:00"}"#.utf8)
        guard case .ignored = try self.outcome(body) else {
            Issue.record("expected ignored")
            return
        }
    }

    @Test func aRecordWithoutANumberIsRefusedNamingTheField() throws {
        #expect(throws: WebhookError(field: "number", message: "is required")) { try self.outcome(Data(#"{"opened_at":"2026-11-02 10:00:00"}"#.utf8)) }
    }

    @Test func aRecordWithoutOpenedAtIsRefusedNamingTheField() throws {
        #expect(throws: WebhookError(field: "opened_at", message: "is required")) { try self.outcome(Data(#"{"number":"INC1","opened_at":""}"#.utf8)) }
    }

    @Test func aTimeThatDoesNotParseIsRefusedNamingTheField() throws {
        let body = Data(#"{"number":"INC1","opened_at":"2026-11-02 10:00:00","resolved_at":"02/11/2026 11:00"}"#.utf8)
        let expected = WebhookError(field: "resolved_at", message: "'02/11/2026 11:00' is not a time (yyyy-MM-dd HH:mm:ss, UTC)")
        #expect(throws: expected) { try self.outcome(body) }
    }
}
