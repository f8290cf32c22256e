using Cib.Grains.Ingest;

namespace Cib.Grains.Tests;

/// <summary>The replay progress line a restarted silo logs: the share done, the rate so far and the time left from it.</summary>
public sealed class ReplayProgressTests
{
    [Fact]
    public void Progress_gives_the_share_applied_the_rate_so_far_and_the_time_left_at_that_rate()
    {
        Assert.Equal("1,200,000 of 10,000,000 signals applied (12.0 %), 48,000 a second, about 3 min 4 s left",
            ReplayProgress.Describe(0, 1_200_000, 10_000_000, TimeSpan.FromSeconds(25)));
        // A replay that started after what a previous run applied counts from there; hours when it is long.
        Assert.Equal("1,000 of 9,000,000 signals applied (0.0 %), 100 a second, about 24 h 59 min left",
            ReplayProgress.Describe(1_000_000, 1_001_000, 10_000_000, TimeSpan.FromSeconds(10)));
        Assert.Equal("500 of 1,000 signals applied (50.0 %), 250 a second, about 2 s left",
            ReplayProgress.Describe(0, 500, 1_000, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Nothing_applied_yet_gives_no_estimate_and_signals_past_the_target_count_as_done()
    {
        Assert.Equal("0 of 5,000 signals applied (0.0 %)", ReplayProgress.Describe(0, 0, 5_000, TimeSpan.FromSeconds(3)));
        // Ingest goes on during a replay: the pump may apply past the head it started with.
        Assert.Equal("5,000 of 5,000 signals applied (100.0 %), 500 a second, about 0 s left", ReplayProgress.Describe(0, 7_000, 5_000, TimeSpan.FromSeconds(10)));
        Assert.Equal("0 of 0 signals applied (100.0 %)", ReplayProgress.Describe(0, 0, 0, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplayProgress.Describe(10, 20, 5, TimeSpan.FromSeconds(1)));
    }
}
