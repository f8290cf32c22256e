using Cib.Detection.CoActivity;

namespace Cib.Detection.Tests.CoActivity;

public class WindowEstimatorTests
{
    [Theory]
    [InlineData(0.1, 1.3)]
    [InlineData(0.5, 2.5)]
    [InlineData(1.0, 4.0)]
    [InlineData(0.0, 1.0)]
    public void Quantile_is_Rs_type_7(double p, double expected) => Assert.Equal(expected, WindowEstimator.Quantile([1, 2, 3, 4], p), 9);

    [Fact]
    public void The_window_is_the_median_time_to_half_the_shares_over_the_fastest_tenth()
    {
        var t0 = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        var actions = new List<(CoActivityTarget, long)>();
        // Target i has 5 shares at 0, 1, 2, 3, 4 × step_i: half is passed at the third share, 2 × step_i.
        for (var i = 0; i < 100; i++)
        {
            var step = i < 10 ? 5 + i : 500;
            for (var s = 0; s < 5; s++)
            {
                actions.Add((new CoActivityTarget(CoActivityKind.CoText, $"t{i}"), t0 + TimeSpan.FromSeconds(s * step).Ticks));
            }
        }
        actions.Add((new CoActivityTarget(CoActivityKind.CoRepost, "once"), t0));
        var estimates = WindowEstimator.Estimate(actions.OrderBy(a => a.Item1.Key.GetHashCode()), new CoActivityOptions());

        // t½ = 10, 12, ..., 28 s for the fast ten and 1000 s for the rest; the 0.1-quantile of the hundred,
        // 28 + 0.9 × (1000 − 28), keeps exactly the fast ten, whose median is (18 + 20) / 2 = 19 s.
        var text = estimates.Single(e => e.Kind == CoActivityKind.CoText);
        Assert.Equal(TimeSpan.FromSeconds(19), text.Window);
        Assert.Equal(100, text.Targets);
        Assert.Equal(10, text.Fastest);
        Assert.Equal(text.Window, estimates.Single(e => e.Kind == CoActivityKind.CoNearText).Window);
        Assert.False(estimates.Single(e => e.Kind == CoActivityKind.CoRepost).Estimated);
        Assert.Equal(Enum.GetValues<CoActivityKind>().Length, estimates.Count);
    }
}
