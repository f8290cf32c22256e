using Cib.Detection.Scoring;

namespace Cib.Detection.Tests.Scoring;

public class RandomizedPcaTests
{
    private const int D = 6;

    /// <summary>Rows μ + a·u1 + b·u2 + noise, a, b ~ N(0, 3²), noise ~ N(0, 0.01²) per feature.</summary>
    private static double[][] PlaneData(double[][] basis, double[] centre, int n, int seed, double noise = 0.01)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var a = 3 * Normal(random);
            var b = 3 * Normal(random);
            return Enumerable.Range(0, D).Select(j => centre[j] + (a * basis[0][j]) + (b * basis[1][j]) + (noise * Normal(random))).ToArray();
        }).ToArray();
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A random orthonormal basis of <paramref name="count"/> vectors in R^d (Gram-Schmidt).</summary>
    private static double[][] RandomBasis(int count, int d, int seed)
    {
        var random = new Random(seed);
        var basis = new double[count][];
        for (var i = 0; i < count; i++)
        {
            var v = Enumerable.Range(0, d).Select(_ => Normal(random)).ToArray();
            for (var j = 0; j < i; j++)
            {
                var dot = Dot(v, basis[j]);
                for (var k = 0; k < d; k++)
                {
                    v[k] -= dot * basis[j][k];
                }
            }
            var norm = Math.Sqrt(Dot(v, v));
            basis[i] = v.Select(x => x / norm).ToArray();
        }
        return basis;
    }

    private static double Dot(IReadOnlyList<double> a, IReadOnlyList<double> b) => a.Zip(b, (x, y) => x * y).Sum();

    /// <summary>sin of the largest principal angle between span(a) and span(b) (equal dimensions):
    /// √(1 − σ_min²) with σ_min the smallest singular value of aᵀb.</summary>
    private static double LargestPrincipalAngleSine(IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<IReadOnlyList<double>> b)
    {
        var k = a.Count;
        var m = new double[k, k];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                m[i, j] = Dot(a[i], b[j]);
            }
        }
        var mtm = new double[k * k];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                for (var r = 0; r < k; r++)
                {
                    mtm[(i * k) + j] += m[r, i] * m[r, j];
                }
            }
        }
        var smallest = Matrices.SymmetricEigen(mtm, k, out _)[^1];
        return Math.Sqrt(Math.Max(0, 1 - smallest));
    }

    private static readonly double[] Centre = [5, -3, 10, 0, 2, 7];

    [Fact]
    public void Rank_2_model_scores_in_plane_points_low_and_off_plane_points_high()
    {
        var basis = RandomBasis(3, D, seed: 11); // two spanning the plane, the third off it
        var model = RandomizedPca.Fit(PlaneData(basis, Centre, 500, seed: 1), rank: 2, seed: 7);
        // The score is relative to ‖x − μ‖, so noise dominates it for points very close to the mean;
        // the claim is about points that are somewhere, not at the centre.
        var fresh = PlaneData(basis, Centre, 200, seed: 2).Where(x => Math.Sqrt(x.Zip(Centre, (a, c) => (a - c) * (a - c)).Sum()) > 1).ToArray();
        Assert.True(fresh.Length > 150);
        var inPlane = fresh.Select(x => model.Score(x)).ToArray();
        var offPlane = fresh.Select(x => model.Score(x.Select((v, j) => v + (3 * basis[2][j])).ToArray())).ToArray();
        Assert.True(inPlane.Max() < 0.05, $"in-plane max {inPlane.Max()}");
        Assert.True(offPlane.Min() > 0.2, $"off-plane min {offPlane.Min()}");
        Assert.All(inPlane.Concat(offPlane), s => Assert.InRange(s, 0, 1));
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(0, true)]  // ML.NET's number of passes
    [InlineData(3, false)] // data centred at the origin, so μ = 0 loses nothing
    public void Recovered_subspace_matches_the_true_plane(int powerIterations, bool ensureZeroMean)
    {
        var basis = RandomBasis(2, D, seed: 12);
        var centre = ensureZeroMean ? Centre : new double[D];
        var model = RandomizedPca.Fit(PlaneData(basis, centre, 1000, seed: 3), rank: 2, powerIterations: powerIterations,
            ensureZeroMean: ensureZeroMean, seed: 1);
        Assert.True(LargestPrincipalAngleSine(basis, model.Components) < 0.01);
        Assert.Equal(ensureZeroMean ? centre : new double[D], model.Mean.Select(m => Math.Round(m, 0)));
        Assert.InRange(model.Variances[0], 5, 15); // each in-plane direction has variance about 3² = 9
        Assert.InRange(model.Variances[1], 5, 15);
    }

    [Fact]
    public void Sketch_smaller_than_the_dimension_finds_the_dominant_subspace()
    {
        // d = 60, true rank-3 signal with decaying spread plus noise; the sketch has l = 3 + 5 = 8 columns.
        const int d = 60;
        var basis = RandomBasis(3, d, seed: 21);
        var random = new Random(4);
        var rows = Enumerable.Range(0, 2000).Select(_ =>
        {
            double[] scale = [10, 6, 4];
            var coefficients = scale.Select(s => s * Normal(random)).ToArray();
            return Enumerable.Range(0, d).Select(j => Enumerable.Range(0, 3).Sum(c => coefficients[c] * basis[c][j]) + (0.3 * Normal(random))).ToArray();
        }).ToArray();
        var model = RandomizedPca.Fit(rows, rank: 3, oversampling: 5, powerIterations: 2, seed: 9);
        Assert.True(LargestPrincipalAngleSine(basis, model.Components) < 0.05);
        Assert.True(model.Variances[0] > model.Variances[1] && model.Variances[1] > model.Variances[2]);
    }

    [Fact]
    public void Same_seed_gives_the_same_model_and_another_seed_the_same_subspace()
    {
        var basis = RandomBasis(2, D, seed: 13);
        var rows = PlaneData(basis, Centre, 300, seed: 5);
        var a = RandomizedPca.Fit(rows, 2, oversampling: 1, seed: 42);
        var b = RandomizedPca.Fit(rows, 2, oversampling: 1, seed: 42);
        var c = RandomizedPca.Fit(rows, 2, oversampling: 1, seed: 43);
        Assert.Equal(a.ToJson(), b.ToJson());
        Assert.True(LargestPrincipalAngleSine(a.Components, c.Components) < 1e-6);
    }

    [Fact]
    public void Components_are_orthonormal_and_sorted_by_variance()
    {
        var model = RandomizedPca.Fit(PlaneData(RandomBasis(2, D, 14), Centre, 300, seed: 6), rank: 4, seed: 0);
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                Assert.Equal(i == j ? 1 : 0, Dot(model.Components[i], model.Components[j]), 10);
            }
        }
        Assert.Equal(model.Variances.OrderDescending(), model.Variances);
    }

    [Fact]
    public void Score_follows_the_ML_NET_formula()
    {
        var model = RandomizedPca.Fit(PlaneData(RandomBasis(2, D, 15), Centre, 300, seed: 7), rank: 2, seed: 0);
        double[] x = [1, 2, 3, 4, 5, 6];
        // √((‖x−μ‖² − Σ_k (v_k·x − v_k·μ)²) / ‖x−μ‖²), PcaModelParameters.Score in ML.NET.
        var centred = x.Zip(model.Mean, (a, m) => a - m).ToArray();
        var norm2 = Dot(centred, centred);
        var projected = model.Components.Sum(v => Math.Pow(Dot(v, x) - Dot(v, model.Mean), 2));
        Assert.Equal(Math.Sqrt((norm2 - projected) / norm2), model.Score(x), 12);
    }

    [Fact]
    public void Point_at_the_mean_scores_zero_not_NaN()
    {
        var model = RandomizedPca.Fit(PlaneData(RandomBasis(2, D, 16), Centre, 100, seed: 8), rank: 2, seed: 0);
        Assert.Equal(0, model.Score(model.Mean.ToArray()));
    }

    [Fact]
    public void Residual_contributions_sum_to_the_squared_residual_and_point_at_the_perturbed_feature()
    {
        // A plane with known geometry: perturbing feature 5 leaves 2/3 of it off the plane, and spills
        // at most 1/3 into any other feature, so feature 5 must carry the largest contribution.
        double[][] basis =
        [
            new double[] { 1, 2, 0, 0, 1, 0 }.Select(v => v / Math.Sqrt(6)).ToArray(),
            new double[] { 0, 0, 1, 1, 0, -1 }.Select(v => v / Math.Sqrt(3)).ToArray(),
        ];
        var rows = PlaneData(basis, Centre, 500, seed: 9);
        var model = RandomizedPca.Fit(rows, rank: 2, seed: 3);
        var x = (double[])rows[17].Clone();
        x[5] += 5;
        var contributions = model.ResidualContributions(x);
        Assert.Equal(model.SquaredResidual(x), contributions.Sum(), 10);
        Assert.Equal(5, Array.IndexOf(contributions, contributions.Max()));
        Assert.InRange(contributions[5] / contributions.Sum(), 0.6, 0.7);
        // Score is the residual relative to the centred vector.
        var centred = x.Zip(model.Mean, (a, m) => a - m).ToArray();
        Assert.Equal(Math.Sqrt(contributions.Sum() / Dot(centred, centred)), model.Score(x), 12);
    }

    [Fact]
    public void Json_round_trip_gives_identical_scores()
    {
        var basis = RandomBasis(3, D, seed: 17);
        var model = RandomizedPca.Fit(PlaneData(basis, Centre, 300, seed: 10), rank: 2, seed: 5);
        var json = model.ToJson();
        Assert.Contains("\"format_version\":1", json);
        var back = PcaModel.FromJson(json);
        Assert.Equal(model.Rank, back.Rank);
        Assert.Equal(model.Dimension, back.Dimension);
        foreach (var x in PlaneData(basis, Centre, 50, seed: 11).Append([0, 0, 0, 0, 0, 100]))
        {
            Assert.Equal(model.Score(x), back.Score(x));
            Assert.Equal(model.ResidualContributions(x), back.ResidualContributions(x));
        }
        Assert.Equal(json, back.ToJson());
    }

    [Fact]
    public void Corrupt_or_unknown_model_data_is_rejected()
    {
        var data = RandomizedPca.Fit(PlaneData(RandomBasis(2, D, 18), Centre, 100, seed: 12), rank: 2, seed: 0).ToData();
        Assert.Throws<ArgumentException>(() => PcaModel.FromData(data with { FormatVersion = 99 }));
        var stretched = data.Components.Select(c => c.Select(v => v * 2).ToArray()).ToArray();
        Assert.Throws<ArgumentException>(() => PcaModel.FromData(data with { Components = stretched }));
        Assert.Throws<ArgumentException>(() => PcaModel.FromData(data with { Mean = [1, 2] }));
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        double[][] rows = [[1, 2, 3], [4, 5, 6]];
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomizedPca.Fit(rows, rank: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomizedPca.Fit(rows, rank: 4));
        Assert.Throws<ArgumentException>(() => RandomizedPca.Fit([[1, 2], [double.PositiveInfinity, 1]], rank: 1));
        var model = RandomizedPca.Fit(rows, rank: 1);
        Assert.Throws<ArgumentException>(() => model.Score([1.0, 2.0]));
    }

    [Fact]
    public void Degenerate_data_still_gives_an_orthonormal_model()
    {
        // All rows equal: covariance 0, every direction is as good as any other.
        var model = RandomizedPca.Fit([[1, 2, 3], [1, 2, 3], [1, 2, 3]], rank: 2, seed: 1);
        Assert.Equal(0, Dot(model.Components[0], model.Components[1]), 10);
        Assert.All(model.Variances, v => Assert.Equal(0, v, 12));
        Assert.Equal(0, model.Score([1, 2, 3]));
    }
}
