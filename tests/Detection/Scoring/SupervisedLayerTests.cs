using Cib.Detection.Scoring;

namespace Cib.Detection.Tests.Scoring;

public class SupervisedLayerTests
{
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>n examples of 3 features: confirmed ones centred at (3, −2, 0), dismissed at (−3, 2, 0),
    /// unit noise, so the classes are separable up to rare overlaps; every third example confirmed.</summary>
    private static (double[][] Rows, bool[] Confirmed) Separable(int n, int seed)
    {
        var random = new Random(seed);
        var confirmed = Enumerable.Range(0, n).Select(i => i % 3 == 0).ToArray();
        var rows = confirmed.Select(c => new[] { (c ? 3 : -3) + Normal(random), (c ? -2 : 2) + Normal(random), 50 + (10 * Normal(random)) }).ToArray();
        return (rows, confirmed);
    }

    [Fact]
    public void Separable_labels_give_high_cross_validated_precision_and_recall()
    {
        var (rows, confirmed) = Separable(90, 1);
        var layer = SupervisedLayer.Fit(rows, confirmed, seed: 2);
        var report = layer.Report;
        Assert.True(report.Precision >= 0.95, $"precision {report.Precision}");
        Assert.True(report.Recall >= 0.95, $"recall {report.Recall}");
        Assert.True(report.Auc >= 0.95, $"AUC {report.Auc}");
        Assert.Equal(90, report.Count);
        Assert.Equal(30, report.Confirmed);
        Assert.Equal(SupervisedLayer.DefaultFolds, report.Folds);
        Assert.True(layer.Probability([3, -2, 50]) > 0.9);
        Assert.True(layer.Probability([-3, 2, 50]) < 0.1);
    }

    [Fact]
    public void Mean_probability_on_the_training_rows_equals_the_share_confirmed()
    {
        // The intercept is not penalised, so at the optimum ∂J/∂b = Σ_i (p_i − y_i) = 0.
        var random = new Random(3);
        var rows = Enumerable.Range(0, 60).Select(_ => new[] { Normal(random), Normal(random) }).ToArray();
        var confirmed = rows.Select(r => r[0] + Normal(random) > 0.5).ToArray();
        var layer = SupervisedLayer.Fit(rows, confirmed);
        Assert.Equal(confirmed.Count(c => c), rows.Sum(r => layer.Probability(r)), 6);
        Assert.InRange(layer.Report.Auc, 0.5, 1);
    }

    [Fact]
    public void Refuses_to_train_with_too_few_labels_and_says_why()
    {
        var (rows, confirmed) = Separable(19, 1);
        var tooFew = Assert.Throws<ArgumentException>(() => SupervisedLayer.Fit(rows, confirmed));
        Assert.Contains("at least 20", tooFew.Message);
        Assert.Contains("got 19", tooFew.Message);

        var (more, _) = Separable(40, 1);
        var fourConfirmed = Enumerable.Range(0, 40).Select(i => i < 4).ToArray();
        var oneSided = Assert.Throws<ArgumentException>(() => SupervisedLayer.Fit(more, fourConfirmed));
        Assert.Contains("4 confirmed", oneSided.Message);
        Assert.NotNull(SupervisedLayer.RefusalReason(fourConfirmed));
        Assert.Null(SupervisedLayer.RefusalReason(Separable(20, 1).Confirmed));
    }

    [Fact]
    public void Same_inputs_and_seed_give_the_same_layer()
    {
        var (rows, confirmed) = Separable(60, 4);
        var a = SupervisedLayer.Fit(rows, confirmed, seed: 5);
        var b = SupervisedLayer.Fit(rows, confirmed, seed: 5);
        Assert.Equal(a.ToJson(), b.ToJson());
        // The seed only draws the folds: the final model is the same, the report may differ.
        var c = SupervisedLayer.Fit(rows, confirmed, seed: 6);
        Assert.Equal(a.Weights, c.Weights);
    }

    [Fact]
    public void Json_round_trip_gives_identical_probabilities()
    {
        var (rows, confirmed) = Separable(50, 6);
        var layer = SupervisedLayer.Fit(rows, confirmed, regularisation: 0.3);
        var loaded = SupervisedLayer.FromJson(layer.ToJson());
        Assert.Equal(layer.Report, loaded.Report);
        Assert.Equal(layer.ToJson(), loaded.ToJson());
        Assert.All(rows, r => Assert.Equal(layer.Probability(r), loaded.Probability(r)));
        Assert.Throws<ArgumentException>(() => SupervisedLayer.FromData(layer.ToData() with { FormatVersion = 9 }));
        Assert.Throws<ArgumentException>(() => SupervisedLayer.FromData(layer.ToData() with { Weights = [1.0] }));
    }

    [Fact]
    public void Blend_uses_the_unsupervised_score_until_a_layer_is_trained_then_as_a_feature()
    {
        Assert.Equal(0.83, SupervisedLayer.Blend(null, [1.0, 2.0], 0.83));

        // Reviewers confirmed exactly the examples the unsupervised score ranked high.
        var random = new Random(8);
        var features = Enumerable.Range(0, 40).Select(_ => new[] { Normal(random), Normal(random) }).ToArray();
        var scores = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? 0.999 - (0.001 * random.NextDouble()) : 0.5 * random.NextDouble()).ToArray();
        var confirmed = scores.Select(s => s > 0.9).ToArray();
        var rows = features.Select((f, i) => SupervisedLayer.WithUnsupervisedScore(f, scores[i])).ToArray();
        var layer = SupervisedLayer.Fit(rows, confirmed);
        Assert.Equal(3, layer.Dimension);
        Assert.True(SupervisedLayer.Blend(layer, [0.0, 0.0], 0.9995) > 0.8);
        Assert.True(SupervisedLayer.Blend(layer, [0.0, 0.0], 0.2) < 0.2);
        Assert.Throws<ArgumentException>(() => SupervisedLayer.Blend(layer, [0.0], 0.5));
        Assert.Equal(Math.Log(0.9 / 0.1), SupervisedLayer.UnsupervisedFeature(0.9), 12);
        Assert.True(double.IsFinite(SupervisedLayer.UnsupervisedFeature(1)));
    }
}
