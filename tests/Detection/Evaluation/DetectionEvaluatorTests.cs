using Cib.Detection.Evaluation;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.Evaluation;

public class DetectionEvaluatorTests
{
    private static readonly LabelledDataset Truth = new(
        "toy",
        Array.Empty<Signal>(),
        new Dictionary<string, string> { ["a1"] = "A", ["a2"] = "A", ["a3"] = "A", ["b1"] = "B", ["b2"] = "B" },
        ["a1", "a2", "a3", "b1", "b2", "o1", "o2", "o3", "o4"]);

    [Fact]
    public void Pure_networks_have_pair_precision_and_adjusted_rand_of_one()
    {
        var report = DetectionEvaluator.Measure(Truth, [["a1", "a2", "a3"], ["b1", "b2"]], 2, TimeSpan.Zero);
        Assert.Equal(1.0, report.PairPrecision);
        Assert.Equal(1.0, report.AdjustedRand, 9);
        Assert.Equal(1.0, report.Accounts.F1);
        Assert.Equal(0.0, report.Accounts.FalsePositiveRate);
    }

    [Fact]
    public void A_mixed_network_counts_only_same_group_pairs()
    {
        // Pairs: C(4,2) = 6, of which a1-a2 is the only same-group pair; o1 is a false positive.
        var report = DetectionEvaluator.Measure(Truth, [["a1", "a2", "b1", "o1"]], 1, TimeSpan.Zero);
        Assert.Equal(1 / 6.0, report.PairPrecision, 9);
        Assert.Equal(1, report.Accounts.FalsePositives);
        Assert.Equal(0.25, report.Accounts.FalsePositiveRate, 9);
        Assert.True(report.AdjustedRand < 1);
    }

    [Fact]
    public void Coverage_counts_flagged_eligible_accounts()
    {
        var data = Truth with { Eligible = new HashSet<string>(["a1", "a2", "b1", "b2"], StringComparer.Ordinal) };
        var report = DetectionEvaluator.Measure(data, [["a1", "a2", "a3"]], 1, TimeSpan.Zero);
        Assert.Equal(0.5, report.Coverage);
    }

    [Fact]
    public void Every_scenario_name_is_unique_and_found()
    {
        Assert.Equal(EvaluationScenarios.All.Count, EvaluationScenarios.All.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(EvaluationScenarios.All, s => Assert.Same(s, EvaluationScenarios.Find(s.Name.ToUpperInvariant())));
    }
}
