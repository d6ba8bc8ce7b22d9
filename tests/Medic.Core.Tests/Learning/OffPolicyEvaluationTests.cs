using Medic.Core.Learning;

namespace Medic.Core.Tests.Learning;

public sealed class OffPolicyEvaluationTests
{
    [Fact]
    public void Inverse_propensity_scoring_recovers_the_value_of_a_policy_that_never_ran()
    {
        // Logged: a policy that picks rollback 30% of the time, restart 70%. Rollback fixes 80%, restart 20%.
        var random = new Random(11);
        var log = Enumerable.Range(0, 20_000).Select(_ =>
        {
            var rollback = random.NextDouble() < 0.3;
            var fixedIt = random.NextDouble() < (rollback ? 0.8 : 0.2);
            return new LoggedDecision("oom|core|service", rollback ? "rollback" : "restart", rollback ? 0.3 : 0.7, fixedIt ? 1 : 0);
        }).ToList();

        static double AlwaysRollback(string signature, string playbook) => playbook == "rollback" ? 1 : 0;

        Assert.InRange(OffPolicyEvaluation.InversePropensity(log, AlwaysRollback), 0.77, 0.83);
        Assert.InRange(OffPolicyEvaluation.SelfNormalized(log, AlwaysRollback), 0.78, 0.82);
        Assert.InRange(OffPolicyEvaluation.InversePropensity(log, (_, p) => p == "rollback" ? 0.3 : 0.7), 0.36, 0.40); // the logging policy itself: 0.3·0.8 + 0.7·0.2
    }

    [Fact]
    public void A_logged_propensity_of_zero_is_refused_with_what_is_wrong()
    {
        var error = Assert.Throws<ArgumentException>(() => OffPolicyEvaluation.InversePropensity([new LoggedDecision("s", "a", 0, 1)], (_, _) => 1));

        Assert.Contains("logged a propensity of 0", error.Message, StringComparison.Ordinal);
    }
}
