using Cib.Detection.Networks;

namespace Cib.Detection.Tests.Networks;

public class NetworkModelTests
{
    private static List<double[]> Reference(int rows, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, NetworkFeatures.Count).Select(j => j + random.NextDouble()).ToArray())];
    }

    [Fact]
    public void A_group_far_beyond_the_reference_scores_above_every_reference_group()
    {
        var reference = Reference(200, 1);
        var model = NetworkModel.Fit(reference, 3, 17);
        var outlier = reference[0].Select(x => x + 10).ToArray();
        var outlierScore = model.Score(outlier);
        Assert.True(outlierScore.Score > 0.99, $"outlier scored {outlierScore.Score}");
        Assert.All(reference, r => Assert.True(model.Score(r).Score < outlierScore.Score));
        Assert.InRange(outlierScore.Contributions.Sum(), 0.999, 1.001);
    }

    [Fact]
    public void A_saved_model_loads_with_the_same_version_and_scores()
    {
        var model = NetworkModel.Fit(Reference(120, 2), 3, 17);
        var loaded = NetworkModel.FromJson(model.ToJson());
        Assert.Equal(model.Version, loaded.Version);
        Assert.StartsWith("ens-1:", loaded.Version);
        foreach (var row in Reference(20, 3))
        {
            Assert.Equal(model.Score(row), loaded.Score(row), (a, b) => a.Score == b.Score && a.RobustZ == b.RobustZ && a.Contributions.SequenceEqual(b.Contributions));
        }
    }

    [Fact]
    public void The_same_reference_and_seed_give_the_same_version_and_other_rows_another()
    {
        Assert.Equal(NetworkModel.Fit(Reference(80, 4), 3, 17).Version, NetworkModel.Fit(Reference(80, 4), 3, 17).Version);
        Assert.NotEqual(NetworkModel.Fit(Reference(80, 4), 3, 17).Version, NetworkModel.Fit(Reference(80, 5), 3, 17).Version);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{}", "required")]
    public void A_broken_model_file_is_refused_with_the_reason(string json, string reason)
    {
        var error = Assert.Throws<FormatException>(() => NetworkModel.FromJson(json));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_model_of_other_features_is_refused()
    {
        var json = NetworkModel.Fit(Reference(50, 6), 3, 17).ToJson().Replace("\"log_size\"", "\"renamed\"");
        var error = Assert.Throws<FormatException>(() => NetworkModel.FromJson(json));
        Assert.Contains("featureNames", error.Message);
    }
}
