using Cib.Detection.Scoring;

namespace Cib.Detection.Tests.Scoring;

public class ScoreCalibratorTests
{
    /// <summary>n draws of an exponential distribution with the given scale (inverse CDF).</summary>
    private static double[] Exponential(int n, double scale, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => -scale * Math.Log(1 - random.NextDouble()))];
    }

    [Fact]
    public void Calibrated_scores_are_monotone_and_within_bounds()
    {
        var reference = Exponential(500, 2, 1).Concat([3.0, 3.0, 3.0]).ToArray();
        var calibrator = ScoreCalibrator.Fit(reference);
        var previous = double.NegativeInfinity;
        for (var s = -5.0; s <= 60; s += 0.01)
        {
            var f = calibrator.Calibrate(s);
            Assert.InRange(f, 0, 1);
            Assert.True(f >= previous, $"F({s}) = {f} fell below {previous}");
            previous = f;
        }
        Assert.Equal(1, calibrator.Calibrate(double.PositiveInfinity));
        Assert.InRange(calibrator.Calibrate(double.NegativeInfinity), 0, 1);
    }

    [Fact]
    public void Knots_sit_at_their_Hazen_levels_and_are_interpolated_between()
    {
        var calibrator = ScoreCalibrator.Fit([4.0, 1.0, 3.0, 2.0]);
        Assert.Equal([1.0, 2.0, 3.0, 4.0], calibrator.Values);
        Assert.Equal(0.125, calibrator.Calibrate(1));
        Assert.Equal(0.375, calibrator.Calibrate(2));
        Assert.Equal(0.5, calibrator.Calibrate(2.5));
        Assert.Equal(0.875, calibrator.Calibrate(4));
        Assert.Equal(0.125, calibrator.Calibrate(-100));
    }

    [Fact]
    public void Just_above_the_maximum_does_not_jump_to_one_but_far_beyond_approaches_it()
    {
        var reference = Exponential(1000, 1, 2);
        var calibrator = ScoreCalibrator.Fit(reference);
        var max = calibrator.Maximum;
        var beta = calibrator.TailScale;
        var atMax = calibrator.Calibrate(max);
        Assert.Equal(1 - (0.5 / 1000), atMax, 12);
        Assert.Equal(atMax, calibrator.Calibrate(max + 1e-9), 9);
        Assert.True(calibrator.Calibrate(max + (0.1 * beta)) < 1 - (0.4 / 1000));
        Assert.Equal(1 - (0.5 / 1000 * Math.Exp(-10)), calibrator.Calibrate(max + (10 * beta)), 12);
        Assert.True(calibrator.Calibrate(max + (50 * beta)) > 1 - 1e-15);
        // The tail probability keeps its precision where F has rounded to 1.
        Assert.Equal(0.5 / 1000 * Math.Exp(-50), calibrator.TailProbability(max + (50 * beta)), 1e-30);
        Assert.True(calibrator.TailProbability(max + (60 * beta)) < calibrator.TailProbability(max + (50 * beta)));
    }

    [Fact]
    public void Tail_scale_of_exponential_scores_recovers_their_scale()
    {
        // Exceedances of an exponential over any threshold are exponential with the same scale.
        var calibrator = ScoreCalibrator.Fit(Exponential(20000, 2, 3));
        Assert.InRange(calibrator.TailScale, 1.8, 2.2);
    }

    [Fact]
    public void Sketch_keeps_bounded_knots_and_quantiles_close()
    {
        var reference = Exponential(10000, 1, 4);
        var full = ScoreCalibrator.Fit(reference, maxKnots: 20000);
        var sketch = ScoreCalibrator.Fit(reference, maxKnots: 256);
        Assert.Equal(10000, full.Values.Count);
        Assert.Equal(256, sketch.Values.Count);
        Assert.Equal(reference.Min(), sketch.Values[0]);
        Assert.Equal(reference.Max(), sketch.Maximum);
        for (var s = 0.0; s < 12; s += 0.05)
        {
            Assert.True(Math.Abs(full.Calibrate(s) - sketch.Calibrate(s)) < 1.0 / 255, $"F({s}): full {full.Calibrate(s)}, sketch {sketch.Calibrate(s)}");
        }
    }

    [Fact]
    public void Constant_reference_gives_finite_scores()
    {
        var calibrator = ScoreCalibrator.Fit([0.5, 0.5, 0.5, 0.5]);
        Assert.Equal(ScoreCalibrator.ScaleFloor, calibrator.TailScale);
        Assert.Equal(0.125, calibrator.Calibrate(0.4));
        Assert.Equal(0.875, calibrator.Calibrate(0.5));
        Assert.True(calibrator.Calibrate(0.6) > 0.999999);
    }

    [Fact]
    public void Json_round_trip_gives_identical_scores()
    {
        var calibrator = ScoreCalibrator.Fit(Exponential(3000, 0.7, 5), maxKnots: 512);
        var loaded = ScoreCalibrator.FromJson(calibrator.ToJson());
        Assert.Equal(calibrator.ToJson(), loaded.ToJson());
        for (var s = -1.0; s < 15; s += 0.013)
        {
            Assert.Equal(calibrator.Calibrate(s), loaded.Calibrate(s));
        }
    }

    [Fact]
    public void Rejects_bad_input_and_inconsistent_data()
    {
        Assert.Throws<ArgumentException>(() => ScoreCalibrator.Fit([1.0]));
        Assert.Throws<ArgumentException>(() => ScoreCalibrator.Fit([1.0, double.NaN]));
        var calibrator = ScoreCalibrator.Fit([1.0, 2.0, 3.0]);
        Assert.Throws<ArgumentException>(() => calibrator.Calibrate(double.NaN));
        var data = calibrator.ToData();
        Assert.Throws<ArgumentException>(() => ScoreCalibrator.FromData(data with { FormatVersion = 2 }));
        Assert.Throws<ArgumentException>(() => ScoreCalibrator.FromData(data with { Values = [3.0, 2.0, 1.0] }));
        Assert.Throws<ArgumentException>(() => ScoreCalibrator.FromData(data with { Levels = [0.1, 0.1, 0.9] }));
        Assert.Throws<ArgumentException>(() => ScoreCalibrator.FromData(data with { TailScale = 0 }));
    }
}
