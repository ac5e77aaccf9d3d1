/// The delivery metrics' definitions, the one text of them: the README's "Metric definitions" (a test checks it
/// word for word), the monthly report's method section and `lodestar metrics --explain` all print these, and they
/// say what `DeliveryFacts`, `DeliveryMetrics` and `DORABenchmarks` do. Inline code is marked with backticks, as
/// in Markdown; `plain` drops the marks for the report and the terminal.
public enum MetricDefinitions {
    /// How long before an incident a deployment is still suspect, when the incident names no cause.
    public static let incidentWindowHours = 24

    /// One definition: a name and what it means.
    public struct Definition: Sendable, Equatable {
        public var name: String
        public var text: String

        /// The text without Markdown's marks, for HTML and the terminal.
        public var plain: String { self.name + ": " + self.text.replacingOccurrences(of: "`", with: "").replacingOccurrences(of: "*", with: "") }

        /// The README's bullet, on one line.
        public var markdown: String { "- **\(self.name)**: " + self.text }
    }

    public static let production = Definition(
        name: "Production",
        text: """
            an environment named `production`, `prod…`, `prd…` or `live` (any case, before the first `-`, `_`, `/`, `.` or space); everything \
            else (`staging`, `stg-eu`, `dev-1`, `int-2`, previews) is not.
            """
    )

    public static let environment = Definition(
        name: "Environment of a deployment",
        text: """
            what the sender says. A GitHub `deployment_status`, a GitLab Deployment Hook, a DevLake or generic record name it. A deploy \
            `workflow_run` carries no environment, so it takes the first capture group of `LODESTAR_DEPLOY_WORKFLOW` when the pattern has \
            one (`deploy to (\\w+)`), else the first environment word in the workflow's name (`production`, `prod`, `prd`, `live`, \
            `staging`, `stage`, `stg`, `dev`, `development`, `test`, `qa`, `uat`, `preview`, `sandbox`: "Deploy staging" is staging), else \
            production. A GitLab deploy pipeline takes its deploy job's environment. When a job with `environment:` also reports its own \
            deployment (GitHub sends a `deployment_status` naming the workflow run; GitLab a Deployment Hook whose `deployable_id` is the \
            job), that report counts and the whole-run deployment does not, whichever arrives first, so one deploy is never counted twice.
            """
    )

    public static let deployment = Definition(
        name: "Deployment",
        text: "a successful deployment to production. Deployment frequency is deployments per week in the period."
    )

    public static let history = Definition(
        name: "History",
        text: """
            senders state which commit contains which. A push's `after` contains every commit the push lists and, unless the push was \
            forced (`"forced": true`) or created the branch (`before` all zeros), its `before`; a merged pull request's merge commit \
            (merge, squash or last rebased commit) contains the pull request's head and base, a merged GitLab merge request's its last \
            commit; a `change` record's `parent`, and a `history` record's `sha` each of its `shas`. "Contains" is transitive, and the \
            order a push lists its commits in means nothing. A short hash (7 to 39 hex characters, as Bitbucket gives a merged pull \
            request's commits) is the commit of the same service whose full hash begins with it, in whatever order they arrived; one \
            that begins two full hashes is left a commit of its own.
            """
    )

    public static let shipped = Definition(
        name: "Changes shipped by a deployment",
        text: """
            a successful production deployment ships every commit its deployed commit (the first it lists) and its other listed commits \
            contain, themselves included, that no earlier successful production deployment of the same service shipped (earlier: \
            finished before it, equal times by id). When the deployed commit is neither a known change nor the head of stated history, \
            it ships every change of the service not shipped yet that was committed at or before the deployment finished, with what \
            those contain. So a commit never deployed on its own ships with the next deployment that contains it, and sending the same \
            facts in another order, split into more pushes, or twice gives the same figures.
            """
    )

    public static let leadTime = Definition(
        name: "Lead time for changes",
        text: """
            for each change at its *first* production deployment, deployment finished − the change's start (the earlier of authored \
            and committed time; for a squash-merged pull request, when it was opened). Negative values are clock skew: left out and \
            counted in `skippedClockSkew`. Median and p90 (nearest rank).
            """
    )

    public static let changeFailureRate = Definition(
        name: "Change failure rate",
        text: """
            failed production deployments ÷ production deployment attempts, each failed deployment counted once however many \
            incidents point at it. A deployment failed when its result is failure or rolled back, or an incident names a commit it \
            carried (`root cause: <sha>` in the incident's title or body; pattern `LODESTAR_ROOT_CAUSE_PATTERN`; a short sha matches \
            the carried commit it begins, the smallest if several). A production deployment carried a commit when it shipped it, or \
            when it failed or was rolled back and lists it. The incident is linked to the latest deployment, in any service, that \
            carried the commit and finished at or before the incident opened, else to the first that carried it. Without a named \
            cause, or when no deployment carried it, the incident is linked to the service's latest successful production deployment \
            that finished at or before it opened, if that was within \(incidentWindowHours) hours. An incident filed under a project \
            (a DevLake connection's) looks at the latest such deployment of any of the project's services, and counts for that \
            service. DevLake itself sets no \(incidentWindowHours)-hour limit; Lodestar keeps one rule for every sender, so an \
            incident days after the last deployment is not blamed on it.
            """
    )

    public static let timeToRestore = Definition(
        name: "Time to restore",
        text: """
            incident resolved − opened, median and p90; incidents are counted in the period they open. An edit of an incident \
            updates it; it never creates a second one.
            """
    )

    public static let recovery = Definition(
        name: "Failed deployment recovery time",
        text: """
            a failed production deployment → the service's next successful production deployment that finished after it and did \
            not fail itself (no incident linked to it); counted in the period the failed one finished. None when there is no such \
            deployment yet.
            """
    )

    /// Rework rate under `rule` (DORA 2024's fifth metric; the report gives it no tiers).
    public static func rework(_ rule: ReworkRule = .standard) -> Definition {
        Definition(
            name: "Rework rate",
            text: """
                rework deployments ÷ deployments (DORA 2024's fifth metric). Lodestar keeps no commit messages or pull-request labels, \
                so it does not look for reverts or hotfixes; it counts the deployments that answered a failure. A deployment is rework \
                when it is the deployment that recovered a failed production deployment of its service (as in failed deployment \
                recovery time: the service's next successful production deployment that finished after the failed one and did not \
                fail itself) and it finished within \(rule.hoursText) hours (`LODESTAR_REWORK_HOURS`) of the failed one; exactly \
                \(rule.hoursText) hours still counts, a second more does not. A deployment that recovered several failed ones counts \
                once. Counted in the period, and for the service, of the rework deployment. The DORA report gives no tiers for it, \
                so it is shown with its change against the baseline and its trend.
                """
        )
    }

    public static let groups = Definition(
        name: "Groups and rounding",
        text: """
            a deployment and the changes it shipped count for its service (its month, by the finishing time), an incident for its \
            service (its month, by the opening time). A group is shown when it has a production deployment, a shipped change or an \
            incident in the period. Deployments per week = deployments ÷ (the period's length in weeks; in a month group, the part \
            of the month inside the period). Hours and deployments per week are rounded to 2 decimals, the change failure rate and the \
            rework rate to 3, halves away from zero.
            """
    )

    public static let tiers = Definition(
        name: "Tiers",
        text: """
            elite, high, medium and low by the cluster table of the DORA report chosen with `--benchmarks`: 2023 by default (Google \
            Cloud, *Accelerate State of DevOps Report 2023*), or 2021, 2022 (high, medium and low only: that year no elite cluster \
            emerged) and 2024. The reports give ranges in words; "less than" excludes the edge, "between A and B" and a percentage \
            include it, so a value exactly on an edge that two ranges share takes the better tier; a value takes the best tier whose \
            edge it meets and is low past the last; a month is 30 days. "On demand (multiple deploys per day)" is more than 7 \
            deployments a week. Where a report's clusters are not in order (2024: high fails 20% of changes, medium 10%; high and \
            medium both restore in "less than one day"), Lodestar keeps the published values, so 2024 never gives medium for those \
            two. A tier is given for the metric's value over the period; none when there is no value.
            """
    )

    public static let baseline = Definition(
        name: "Baseline",
        text: """
            each group also carries `changeAgainstBaseline`, the relative change of each metric against the baseline period \
            (`0.5` = +50%), where both periods have a value.
            """
    )

    /// Every definition, in the order a reader needs them, with the rework rule in force.
    public static func all(rework rule: ReworkRule = .standard) -> [Definition] {
        [production, environment, deployment, history, shipped, leadTime, changeFailureRate, timeToRestore, recovery, rework(rule), groups, tiers, baseline]
    }
}
