import Foundation

/// Which runs are deployments, by their name, for the senders that report whole runs (CircleCI workflows and jobs,
/// Tekton pipelines): a name matching `WebhookOptions.deployWorkflowPattern`, and the environment it names.
enum DeployPattern {
    /// The environment a run of this name deploys to, or nil when the name does not match the deploy pattern: the
    /// pattern's first capture group when it has one (`deploy[- ]to[- ](\w+)`), else an environment word after the
    /// match (`deploy-staging`), else one before it (`staging-deploy`) other than `test`, which in a run's name is a
    /// step far more often than a place (CircleCI's own example workflow is `build-test-deploy`), else production.
    static func environment(ofRunNamed name: String, options: WebhookOptions) throws(WebhookError) -> String? {
        let pattern = try WebhookDecoding.regularExpression(options.deployWorkflowPattern, option: "deploy workflow pattern")
        guard let match = pattern.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)),
            let matched = Range(match.range, in: name)
        else { return nil }
        let captured = match.numberOfRanges > 1 ? Range(match.range(at: 1), in: name).map { String(name[$0]) } : nil
        if let captured, !captured.isEmpty { return captured }
        if let after = EnvironmentKind.named(in: String(name[matched.upperBound...])) { return after }
        let before = name[..<matched.lowerBound].lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).filter { $0 != "test" }
        return EnvironmentKind.named(in: before.joined(separator: " ")) ?? "production"
    }
}
