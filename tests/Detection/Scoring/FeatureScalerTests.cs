using Cib.Detection.Scoring;

namespace Cib.Detection.Tests.Scoring;

public class FeatureScalerTests
{
    [Fact]
    public void Fit_finds_column_means_and_population_standard_deviations()
    {
        var scaler = FeatureScaler.Fit([[1, 10], [3, 10], [5, 40]]);
        Assert.Equal([3, 20], scaler.Means);
        Assert.Equal(Math.Sqrt(8.0 / 3), scaler.StandardDeviations[0], 12);
        Assert.Equal(Math.Sqrt(200.0), scaler.StandardDeviations[1], 12);
    }

    [Fact]
    public void Transformed_columns_have_mean_0_and_deviation_1()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 200).Select(_ => new[] { random.NextDouble() * 100, 1e6 + random.NextDouble(), -random.NextDouble() }).ToArray();
        var scaler = FeatureScaler.Fit(rows);
        var z = rows.Select(r => scaler.Transform(r)).ToArray();
        for (var j = 0; j < 3; j++)
        {
            var mean = z.Average(r => r[j]);
            Assert.Equal(0, mean, 9);
            Assert.Equal(1, Math.Sqrt(z.Average(r => (r[j] - mean) * (r[j] - mean))), 9);
        }
    }

    [Fact]
    public void Constant_columns_map_to_zero_without_dividing_by_zero()
    {
        // 0.1 three times has a mean that differs from 0.1 in the last bit: a σ of rounding noise.
        var scaler = FeatureScaler.Fit([[7, 0.1, 1], [7, 0.1, 2], [7, 0.1, 3]]);
        var z = scaler.Transform([7, 0.1, 2]);
        Assert.Equal([0, 0, 0], z);
        var away = scaler.Transform([9, 5, 3]);
        Assert.Equal(0, away[0]);
        Assert.Equal(0, away[1]);
        Assert.True(double.IsFinite(away[2]) && away[2] > 0);
    }

    [Fact]
    public void Wrong_length_and_non_finite_input_are_rejected()
    {
        var scaler = FeatureScaler.Fit([[1, 2], [3, 4]]);
        Assert.Throws<ArgumentException>(() => scaler.Transform([1.0]));
        Assert.Throws<ArgumentException>(() => FeatureScaler.Fit([[1, double.NaN]]));
        Assert.Throws<ArgumentException>(() => FeatureScaler.Fit([[1, 2], [3]]));
        Assert.Throws<ArgumentException>(() => FeatureScaler.Fit(Array.Empty<double[]>()));
    }

    [Fact]
    public void Scaler_rebuilt_from_its_parameters_transforms_identically()
    {
        var scaler = FeatureScaler.Fit([[1, 10], [2, 30], [4, 20]]);
        var json = System.Text.Json.JsonSerializer.Serialize(scaler);
        var back = System.Text.Json.JsonSerializer.Deserialize<FeatureScaler>(json)!;
        Assert.Equal(scaler.Transform([3, 25]), back.Transform([3, 25]));
    }
}
