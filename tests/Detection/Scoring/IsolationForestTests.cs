using System.Text.Json;
using Cib.Detection.Scoring;

namespace Cib.Detection.Tests.Scoring;

public class IsolationForestTests
{
    private const int D = 5;

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>n rows of <paramref name="dimension"/> independent N(0, 1) features.</summary>
    private static double[][] Blob(int n, int seed, int dimension = D)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, dimension).Select(_ => Normal(random)).ToArray())];
    }

    /// <summary>A point at the blob's centre but for feature <paramref name="feature"/>, set to <paramref name="value"/>.</summary>
    private static double[] OffOn(int feature, double value)
    {
        var x = new double[D];
        x[feature] = value;
        return x;
    }

    private static readonly double[][] Outliers = [OffOn(0, 9), OffOn(2, -10), OffOn(4, 12), [8, 8, -8, 8, 8]];

    [Fact]
    public void Average_path_length_matches_known_values()
    {
        Assert.Equal(0, IsolationForest.AveragePathLength(0));
        Assert.Equal(0, IsolationForest.AveragePathLength(1));
        Assert.Equal(1, IsolationForest.AveragePathLength(2));
        // 2(ln 2 + γ) − 4/3 and 2(ln 255 + γ) − 510/256.
        Assert.Equal(1.2073923575865573, IsolationForest.AveragePathLength(3), 12);
        Assert.Equal(10.244770920116852, IsolationForest.AveragePathLength(256), 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Far_outliers_score_highest_and_inliers_about_half_or_below(int seed)
    {
        double[][] outliers = [[8, 8], [-9, 0], [0, 10], [-7, -7]];
        // 250 + 4 rows with ψ = 256: every tree sees the outliers. A point a tree was not grown on
        // only reaches the leaf of the most extreme row it saw (see the remarks on IsolationForest).
        var rows = Blob(250, seed, dimension: 2).Concat(outliers).ToArray();
        var forest = IsolationForest.Fit(rows, seed: seed);
        var inlierScores = rows[..250].Select(r => forest.Score(r)).ToArray();
        var outlierScores = outliers.Select(r => forest.Score(r)).ToArray();
        Assert.All(outlierScores, s => Assert.True(s > 0.6, $"outlier scored {s}"));
        Assert.True(outlierScores.Min() > inlierScores.Max(), $"an inlier scored {inlierScores.Max()}, above outlier {outlierScores.Min()}");
        Assert.True(inlierScores.Average() < 0.5, $"mean inlier score {inlierScores.Average()}");
        Assert.True(forest.Score([0.0, 0.0]) < 0.5, "the centre of the blob should look ordinary");
    }

    [Fact]
    public void In_five_dimensions_outliers_on_one_feature_still_outrank_every_inlier()
    {
        // Axis-parallel splits isolate a point that is extreme on one feature of five only when that
        // feature is drawn, so its score is lower than in two dimensions; the order still holds.
        var rows = Blob(250, 1).Concat(Outliers).ToArray();
        var forest = IsolationForest.Fit(rows, seed: 7);
        var inlierScores = rows[..250].Select(r => forest.Score(r)).ToArray();
        var outlierScores = Outliers.Select(r => forest.Score(r)).ToArray();
        Assert.True(outlierScores.Min() > inlierScores.Max(), $"an inlier scored {inlierScores.Max()}, above outlier {outlierScores.Min()}");
        Assert.True(inlierScores.Average() < 0.45, $"mean inlier score {inlierScores.Average()}");
    }

    [Fact]
    public void Score_is_two_to_the_minus_mean_path_length_over_c_psi()
    {
        var rows = Blob(300, 2);
        var forest = IsolationForest.Fit(rows, trees: 50, sampleSize: 64, seed: 3);
        Assert.Equal(64, forest.SampleSize);
        Assert.Equal(50, forest.Trees);
        foreach (var x in rows.Take(20).Concat(Outliers))
        {
            var h = forest.MeanPathLength(x);
            Assert.Equal(Math.Pow(2, -h / IsolationForest.AveragePathLength(64)), forest.Score(x));
            // No path is longer than the height limit ⌈log₂ 64⌉ = 6 plus the c(n) of a leaf of at most 64 rows.
            Assert.InRange(h, 1, 6 + IsolationForest.AveragePathLength(64));
        }
    }

    [Fact]
    public void Sample_size_is_capped_by_the_number_of_rows()
    {
        var forest = IsolationForest.Fit(Blob(40, 3), seed: 1);
        Assert.Equal(40, forest.SampleSize);
        Assert.True(forest.Nodes <= forest.Trees * ((2 * 40) - 1));
    }

    [Fact]
    public void Same_seed_gives_the_same_forest_and_another_seed_another()
    {
        var rows = Blob(500, 4);
        var a = IsolationForest.Fit(rows, seed: 11);
        var b = IsolationForest.Fit(rows, seed: 11);
        var c = IsolationForest.Fit(rows, seed: 12);
        Assert.Equal(a.ToJson(), b.ToJson());
        Assert.NotEqual(a.ToJson(), c.ToJson());
        Assert.All(rows.Take(50), x => Assert.Equal(a.Score(x), b.Score(x)));
    }

    [Fact]
    public void Json_round_trip_gives_identical_scores_and_attributions()
    {
        var rows = Blob(400, 5).Concat(Outliers).ToArray();
        var forest = IsolationForest.Fit(rows, seed: 5);
        var loaded = IsolationForestModel.FromJson(forest.ToJson());
        Assert.Equal(forest.ToJson(), loaded.ToJson());
        foreach (var x in rows)
        {
            Assert.Equal(forest.Score(x), loaded.Score(x));
            Assert.Equal(forest.Attribution(x), loaded.Attribution(x));
        }
    }

    [Theory]
    [InlineData(0, 9.0)]
    [InlineData(2, -10.0)]
    [InlineData(4, 12.0)]
    public void Attribution_points_at_the_feature_an_outlier_deviates_on(int feature, double value)
    {
        var rows = Blob(1000, 6);
        var forest = IsolationForest.Fit(rows, seed: 9);
        var shares = forest.Attribution(OffOn(feature, value));
        Assert.Equal(1, shares.Sum(), 12);
        var top = Array.IndexOf(shares, shares.Max());
        Assert.Equal(feature, top);
        Assert.True(shares[feature] > 0.4, $"feature {feature} has only {shares[feature]} of the isolation");
    }

    [Fact]
    public void Constant_columns_are_never_split()
    {
        var rows = Blob(200, 7).Select(r => r.Append(3.0).ToArray()).ToArray();
        var forest = IsolationForest.Fit(rows, seed: 2);
        Assert.DoesNotContain(D, forest.ToData().Feature);
        Assert.Equal(0, forest.Attribution([.. Outliers[0], 100.0])[D]);
    }

    [Fact]
    public void Loading_rejects_an_unknown_version_and_inconsistent_trees()
    {
        var data = IsolationForest.Fit(Blob(100, 8), trees: 5, seed: 1).ToData();
        var wrongVersion = Assert.Throws<ArgumentException>(() => IsolationForestModel.FromData(data with { FormatVersion = 99 }));
        Assert.Contains("version 99", wrongVersion.Message);

        var backwards = (int[])data.Left.Clone();
        var internalNode = Array.FindIndex(data.Feature, f => f >= 0);
        backwards[internalNode] = internalNode;
        Assert.Throws<ArgumentException>(() => IsolationForestModel.FromData(data with { Left = backwards }));

        var sizes = (int[])data.Size.Clone();
        sizes[data.Left[internalNode]] += 1;
        Assert.Throws<ArgumentException>(() => IsolationForestModel.FromData(data with { Size = sizes }));

        var json = IsolationForestModel.FromData(data).ToJson().Replace("\"dimension\":5", "\"dimension\":2", StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => IsolationForestModel.FromJson(json));
        Assert.Throws<JsonException>(() => IsolationForestModel.FromJson("null"));
    }

    [Fact]
    public void Fitting_rejects_too_few_rows_and_bad_parameters()
    {
        Assert.Throws<ArgumentException>(() => IsolationForest.Fit([[1.0, 2.0]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => IsolationForest.Fit(Blob(10, 1), trees: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => IsolationForest.Fit(Blob(10, 1), sampleSize: 1));
        Assert.Throws<ArgumentException>(() => IsolationForest.Fit(Blob(10, 1)).Score([1.0]));
    }
}
