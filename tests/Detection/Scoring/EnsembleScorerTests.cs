using System.Text.Json;
using System.Text.RegularExpressions;
using Cib.Detection.Scoring;

namespace Cib.Detection.Tests.Scoring;

public class EnsembleScorerTests
{
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Rows of 6 features on different scales driven by 2 latent factors plus small noise:
    /// x = scale_j · (f1·a_j + f2·b_j + 0.1·ε_j).</summary>
    private static double[][] Correlated(int n, int seed)
    {
        double[] a = [1, 0.8, 0.6, 0, 0.3, -0.5];
        double[] b = [0, 0.5, -0.4, 1, 0.7, 0.2];
        double[] scale = [1, 10, 0.1, 100, 5, 2];
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ =>
        {
            var f1 = Normal(random);
            var f2 = Normal(random);
            return Enumerable.Range(0, 6).Select(j => scale[j] * ((f1 * a[j]) + (f2 * b[j]) + (0.1 * Normal(random)))).ToArray();
        })];
    }

    private static readonly EnsembleScorer Scorer = EnsembleScorer.Fit(Correlated(600, 1), seed: 3);

    /// <summary>An ordinary row with feature 4 pushed <paramref name="sigmas"/> of its own spread away.</summary>
    private static double[] Anomaly(double sigmas)
    {
        var x = Correlated(1, 99)[0];
        x[4] += sigmas * 5 * Math.Sqrt((0.3 * 0.3) + (0.7 * 0.7) + 0.01);
        return x;
    }

    [Fact]
    public void Anomaly_scores_near_one_and_ordinary_rows_about_half()
    {
        var anomaly = Scorer.Score(Anomaly(8));
        Assert.True(anomaly.Score > 0.9, $"anomaly scored {anomaly.Score} (PCA {anomaly.PcaCalibrated}, forest {anomaly.ForestCalibrated})");
        Assert.Equal(1 - Math.Sqrt((1 - anomaly.PcaCalibrated) * (1 - anomaly.ForestCalibrated)), anomaly.Score, 12);
        Assert.Equal(1 - anomaly.TailProbability, anomaly.Score);
        var ordinary = Correlated(200, 2).Select(x => Scorer.Score(x).Score).ToArray();
        Assert.InRange(ordinary.Average(), 0.3, 0.7);
        Assert.True(ordinary.Max() < anomaly.Score, $"ordinary max {ordinary.Max()} anomaly {anomaly}");
        Assert.All(ordinary, s => Assert.InRange(s, 0, 1));
    }

    [Fact]
    public void Score_grows_with_the_distance_from_the_reference()
    {
        // Compared by tail probability, which keeps its precision where the score rounds to 1.
        var tails = new[] { 2.0, 4, 8, 16, 32 }.Select(k => Scorer.Score(Anomaly(k)).TailProbability).ToArray();
        for (var i = 1; i < tails.Length; i++)
        {
            Assert.True(tails[i] < tails[i - 1], $"tail probability rose from {tails[i - 1]} to {tails[i]}");
        }
    }

    [Fact]
    public void Ordinary_rows_score_like_percentiles_and_rarely_above_0_99()
    {
        var ordinary = Correlated(2000, 7).Select(x => Scorer.Score(x).Score).ToArray();
        Assert.True(ordinary.Count(s => s > 0.99) <= 20, $"{ordinary.Count(s => s > 0.99)} of 2000 ordinary rows above 0.99");
    }

    [Fact]
    public void Explain_puts_the_deviating_feature_first()
    {
        var explanation = Scorer.Explain(Anomaly(8), top: 3);
        Assert.Equal(3, explanation.Count);
        Assert.Equal(4, explanation[0].Feature);
        Assert.True(explanation[0].Share > 0.4, $"feature 4 has only {explanation[0].Share}");
        Assert.True(explanation[0].Share >= explanation[1].Share && explanation[1].Share >= explanation[2].Share);
        var all = Scorer.Score(Anomaly(8)).Attribution;
        Assert.Equal(1, all.Sum(), 12);
    }

    [Fact]
    public void Bundle_round_trips_through_one_json_document_with_identical_scores_and_version()
    {
        var json = Scorer.Bundle.ToJson();
        using (var document = JsonDocument.Parse(json))
        {
            Assert.Equal(Scorer.Version, document.RootElement.GetProperty("version").GetString());
        }
        var loaded = new EnsembleScorer(ModelBundle.FromJson(json));
        Assert.Equal(Scorer.Version, loaded.Version);
        Assert.Equal(Scorer.Bundle, loaded.Bundle);
        Assert.Equal(json, loaded.Bundle.ToJson());
        foreach (var x in Correlated(50, 5).Append(Anomaly(8)))
        {
            Assert.Equal(Scorer.Score(x).Score, loaded.Score(x).Score);
            Assert.Equal(Scorer.Score(x).Attribution, loaded.Score(x).Attribution);
        }
    }

    [Fact]
    public void Version_is_a_content_hash_stable_for_a_seed()
    {
        Assert.Matches(new Regex("^ens-1:[0-9a-f]{8}$"), Scorer.Version);
        Assert.Equal(Scorer.Version, EnsembleScorer.Fit(Correlated(600, 1), seed: 3).Version);
        Assert.NotEqual(Scorer.Version, EnsembleScorer.Fit(Correlated(600, 1), seed: 4).Version);
    }

    [Fact]
    public void Loading_rejects_a_document_whose_content_does_not_match_its_version()
    {
        var data = Scorer.Bundle.ToData();
        var edited = data with { ScalerMeans = [.. data.ScalerMeans.Select((m, j) => j == 0 ? m + 1 : m)] };
        var error = Assert.Throws<ArgumentException>(() => ModelBundle.FromJson(JsonSerializer.Serialize(edited)));
        Assert.Contains("hashes to", error.Message);
        Assert.Throws<ArgumentException>(() => ModelBundle.FromData(data with { FormatVersion = 2 }));
    }

    [Fact]
    public void Create_rejects_parts_of_different_dimensions()
    {
        var other = IsolationForest.Fit(Correlated(50, 1).Select(r => r[..5]).ToArray(), trees: 5);
        var b = Scorer.Bundle;
        Assert.Throws<ArgumentException>(() => ModelBundle.Create(b.Scaler, b.Pca, other, b.PcaCalibrator, b.ForestCalibrator));
    }
}
