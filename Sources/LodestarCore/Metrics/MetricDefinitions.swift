/// The delivery metrics' definitions in one sentence each: the monthly report's method section and
/// `lodestar metrics --explain` both print these, so what they say is what `DeliveryFacts` and `DeliveryMetrics` do.
public enum MetricDefinitions {
    /// How long before an incident a deployment is still suspect, when the incident names no cause.
    public static let incidentWindowHours = 24

    public static let production =
        "Production: an environment named production, prod…, prd… or live (before the first -, _, /, . or space); staging, dev and previews are not."
    public static let deployment = "Deployment: a successful deployment to production. Deployment frequency: deployments per week in the period."
    public static let shipped =
        "Changes shipped: the commits a deployment's commit reached that no earlier production deployment of the service shipped, plus any others it lists."
    public static let leadTime =
        "Lead time for changes: deployment finished minus the change's start (the earlier of authored and committed time), for each change at its first production deployment (median and p90)."
    public static let changeFailureRate = """
        Change failure rate: failed production deployments divided by all production deployments. A deployment failed when its result is failure or \
        rolled back, when an incident names a commit it carried (root cause: <sha>), or, when the incident names none, when it is the latest successful \
        production deployment of the incident's service (or project) in the \(incidentWindowHours) hours before the incident opened.
        """
    public static let timeToRestore = "Time to restore service: incident resolved minus opened (median and p90), counted in the period the incident opened."
    public static let recovery = "Failed deployment recovery time: a failed deployment to the service's next successful production deployment."

    /// Rework rate under `rule` (DORA 2024's fifth metric; the report gives it no tiers).
    public static func rework(_ rule: ReworkRule = .standard) -> String {
        """
        Rework rate: rework deployments divided by deployments. A deployment is rework when it recovered a failed production deployment of its \
        service (the deployment the recovery time runs to) and finished within \(rule.hoursText) hours of it; DORA gives no tiers for it.
        """
    }

    /// Every definition, in the order a reader needs them.
    public static func all(rework rule: ReworkRule = .standard) -> [String] {
        [production, deployment, shipped, leadTime, changeFailureRate, timeToRestore, recovery, rework(rule)]
    }
}
