import Foundation

/// ServiceNow incident records, pushed by a business rule (or an outbound REST message, or a flow) whenever an
/// incident is inserted or updated: one Lodestar incident per ServiceNow `number`, opened at `opened_at`, resolved at
/// `resolved_at` (or `closed_at` for a closed record without one), open again when a later push has neither. The
/// service is the configuration item (`cmdb_ci`), else the business service, by display value and mappable with
/// `LODESTAR_SERVICE_MAP` (by name or sys_id). Canceled incidents and records of other tables are ignored.
///
/// The body is the record's fields, flat as the README's business rule sends them or as the Table API returns a
/// record (under `result` too): each field a string, or a reference `{"display_value", "value", "link"}`. Times are
/// ServiceNow's internal `yyyy-MM-dd HH:mm:ss`, in UTC. Authenticated with a bearer token. ServiceNow sends no
/// delivery id; a repeat is harmless, since incidents are kept by number and the latest push wins.
/// Record reference: https://www.servicenow.com/docs/r/api-reference/rest-apis/c_TableAPI.html
public enum ServiceNowWebhook: WebhookSource {
    public static let name = "servicenow"
    public static let title = "ServiceNow"
    public static let authentication = WebhookAuthentication.bearer
    public static let deliveryHeader: String? = nil

    /// The incident table's `state` values Lodestar reads: 6 Resolved, 7 Closed, 8 Canceled.
    static let resolvedStates: Set<String> = ["6", "7", "resolved", "closed"]
    static let canceledStates: Set<String> = ["8", "canceled", "cancelled"]

    public static func kind(of delivery: WebhookDelivery) -> String {
        guard let record = try? Self.record(delivery.body) else { return "unknown" }
        let table = record.sysClassName?.value ?? "incident"
        return record.state.map { Self.canceledStates.contains($0.value.lowercased()) } == true ? "\(table).canceled" : table
    }

    public static func outcome(of delivery: WebhookDelivery, options: WebhookOptions) throws(WebhookError) -> WebhookOutcome {
        let record = try Self.record(delivery.body)
        if let table = record.sysClassName?.value, !table.isEmpty, table != "incident" {
            return .ignored("ServiceNow records of \(table) are not used (incidents come from the incident table)")
        }
        let number = try WebhookDecoding.require(record.number?.value.nilIfEmpty, "number")
        let state = record.state?.value.lowercased() ?? ""
        if Self.canceledStates.contains(state) {
            return .ignored("ServiceNow incident \(number) was canceled")
        }
        guard let openedAt = try Self.time(record.openedAt, "opened_at") else { throw WebhookError(field: "opened_at", message: "is required") }
        var resolvedAt = try Self.time(record.resolvedAt, "resolved_at")
        if resolvedAt == nil, Self.resolvedStates.contains(state) { resolvedAt = try Self.time(record.closedAt, "closed_at") }
        let reference = [record.cmdbCI, record.businessService].compactMap(\.self).first { !$0.name.isEmpty }
        let title = record.shortDescription?.value.nilIfEmpty
        let incident = IncidentEvent(
            id: "servicenow:\(number)",
            service: reference.map { options.service(named: $0.name, or: $0.value.nilIfEmpty) } ?? options.service(named: defaultServiceName),
            title: title, openedAt: openedAt, resolvedAt: resolvedAt,
            rootCauseSHA: try Self.rootCause(in: [title, record.closeNotes?.value], pattern: options.rootCausePattern)
        )
        return .events([.incident(incident)])
    }

    /// The first commit the texts name as the cause (the title first, then the close notes).
    static func rootCause(in texts: [String?], pattern: String) throws(WebhookError) -> String? {
        for text in texts.compactMap(\.self) {
            if let sha = try WebhookDecoding.firstCapture(of: pattern, in: text) { return sha }
        }
        return nil
    }

    /// The record: the body itself, or the Table API's `{"result": {…}}`.
    static func record(_ body: Data) throws(WebhookError) -> Record {
        if let record = try WebhookDecoding.decode(Envelope.self, from: body).result { return record }
        return try WebhookDecoding.decode(Record.self, from: body)
    }

    /// A time field: its internal value (UTC), nil when empty.
    static func time(_ field: Field?, _ name: String) throws(WebhookError) -> Date? {
        guard let text = field?.value.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let date = Timestamp.parse(text) else { throw WebhookError(field: name, message: "'\(text)' is not a time (yyyy-MM-dd HH:mm:ss, UTC)") }
        return date
    }

    struct Envelope: Decodable {
        var result: Record?
    }

    struct Record: Decodable {
        var number: Field?
        var state: Field?
        var openedAt: Field?
        var resolvedAt: Field?
        var closedAt: Field?
        var shortDescription: Field?
        var closeNotes: Field?
        var cmdbCI: Field?
        var businessService: Field?
        var sysClassName: Field?

        enum CodingKeys: String, CodingKey {
            case number, state
            case openedAt = "opened_at"
            case resolvedAt = "resolved_at"
            case closedAt = "closed_at"
            case shortDescription = "short_description"
            case closeNotes = "close_notes"
            case cmdbCI = "cmdb_ci"
            case businessService = "business_service"
            case sysClassName = "sys_class_name"
        }
    }

    /// A field as ServiceNow writes it: plain text, or an object with the internal `value` (a sys_id, a UTC time)
    /// and the `display_value` people read.
    struct Field: Decodable {
        var value: String
        var displayValue: String?

        /// What people call it: the display value, else the value.
        var name: String { self.displayValue?.nilIfEmpty ?? self.value }

        enum CodingKeys: String, CodingKey {
            case value
            case displayValue = "display_value"
        }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self.value = text
                return
            }
            if let number = try? decoder.singleValueContainer().decode(Int.self) {
                self.value = String(number)
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
            self.displayValue = try container.decodeIfPresent(String.self, forKey: .displayValue)
        }
    }
}
