using Cib.Detection.CoActivity;

namespace Cib.Detection.Tests.CoActivity;

public class CoActivityWindowTests
{
    private static long T(int seconds) => new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero).AddSeconds(seconds).UtcTicks;

    private static List<(string Other, int Crowd)> Add(CoActivityWindow w, string account, int seconds)
    {
        var met = new List<(string, int)>();
        w.Add(account, T(seconds), (other, _, crowd) => met.Add((other, crowd)));
        return met;
    }

    [Fact]
    public void Actions_within_the_window_meet_and_the_boundary_is_inclusive()
    {
        var w = new CoActivityWindow(TimeSpan.FromSeconds(60), TimeSpan.Zero, 100);
        Add(w, "a", 0);
        Assert.Equal(["a"], Add(w, "b", 60).Select(x => x.Other));
        Assert.Equal(["b"], Add(w, "c", 120).Select(x => x.Other));
    }

    [Fact]
    public void Window_drops_actions_older_than_span_plus_lateness()
    {
        var w = new CoActivityWindow(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), 100);
        Add(w, "a", 0);
        Add(w, "b", 200);
        Assert.Equal(1, w.Count);
    }

    [Fact]
    public void A_late_action_still_meets_earlier_and_later_actions_within_lateness()
    {
        var w = new CoActivityWindow(TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(10), 100);
        Add(w, "a", 100);
        Add(w, "b", 300);
        var met = Add(w, "late", 90).Select(x => x.Other).ToArray();
        Assert.Equal(["a"], met);
    }

    [Fact]
    public void An_account_does_not_meet_itself()
    {
        var w = new CoActivityWindow(TimeSpan.FromSeconds(60), TimeSpan.Zero, 100);
        Add(w, "a", 0);
        Assert.Empty(Add(w, "a", 10));
    }

    [Fact]
    public void Hot_target_keeps_at_most_capacity_actions()
    {
        var w = new CoActivityWindow(TimeSpan.FromSeconds(600), TimeSpan.Zero, 50);
        for (var i = 0; i < 1000; i++)
        {
            var met = Add(w, $"u{i}", i / 10);
            Assert.True(met.Count <= 50);
        }
        Assert.Equal(50, w.Count);
        Assert.Equal(1000, w.Actions);
    }

    [Fact]
    public void Crowd_counts_distinct_other_accounts_in_the_window_plus_one()
    {
        var w = new CoActivityWindow(TimeSpan.FromSeconds(60), TimeSpan.Zero, 100);
        Add(w, "a", 0);
        Add(w, "b", 1);
        var met = Add(w, "c", 2);
        Assert.All(met, m => Assert.Equal(3, m.Crowd));
    }
}
