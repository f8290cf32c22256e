using Cib.Detection.CoActivity;
using Cib.Detection.Networks;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.Networks;

public class DailyJaccardTests
{
    private static readonly DateTimeOffset Start = new(2016, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static CoActivityEvidence E(string a, string b, string target, double days) =>
        CoActivityEvidence.Create(a, Start.AddDays(days).UtcTicks, b, Start.AddDays(days).AddSeconds(20).UtcTicks, CoActivityKind.CoRepost, target, 2);

    /// <summary>An account that acts <paramref name="perDay"/> times a day on each of <paramref name="days"/>.</summary>
    private static AccountFeatures Account(string id, IEnumerable<int> days, int perDay)
    {
        var b = new AccountBehaviour();
        var n = 0;
        foreach (var d in days)
        {
            for (var i = 0; i < perDay; i++)
            {
                b.Apply(new Signal($"{id}-{n++}", id, SignalKind.Repost, $"t{n}", Start.AddDays(d).AddMinutes(i)), 1);
            }
        }
        return b.Snapshot(id);
    }

    [Fact]
    public void Pair_keeps_the_days_of_its_occasions_in_order_whatever_the_arrival_order()
    {
        var agg = new PairAggregator(new CoActivityOptions());
        agg.Add(E("a", "b", "p3", 30));
        agg.Add(E("a", "b", "p1", 2));
        agg.Add(E("a", "b", "p2", 2.1));
        agg.Add(E("a", "b", "p4", 10));
        var edge = Assert.Single(agg.Edges(1));
        var first = DateOnly.FromDateTime(Start.AddDays(2).UtcDateTime);
        Assert.Equal([first, first.AddDays(8), first.AddDays(28)], edge.ActiveDays);
    }

    [Fact]
    public void Counts_only_the_days_the_pair_met()
    {
        // Two accounts active for 100 days, 20 actions a day each, that co-acted on 10 objects over 5 of those days.
        var days = Enumerable.Range(0, 100).ToArray();
        var a = Account("a", days, 20);
        var b = Account("b", days, 20);
        var agg = new PairAggregator(new CoActivityOptions());
        for (var i = 0; i < 10; i++)
        {
            agg.Add(E("a", "b", $"p{i}", i / 2 * 20));
        }
        var edge = Assert.Single(agg.Edges(1));

        var plain = edge.Jaccard(a.CoActivityActions, b.CoActivityActions);
        var daily = DailyJaccard.Of(edge, a, b);
        Assert.Equal(10 / (2000.0 + 2000 - 10), plain, 9);
        Assert.Equal(10 / (5 * 40.0 - 10), daily, 9);
    }

    [Fact]
    public void A_hyperactive_account_stays_dissimilar_on_the_days_it_meets_others()
    {
        var days = Enumerable.Range(0, 30).ToArray();
        var busy = Account("busy", days, 500);
        var quiet = Account("quiet", days, 5);
        var agg = new PairAggregator(new CoActivityOptions());
        for (var i = 0; i < 12; i++)
        {
            agg.Add(E("busy", "quiet", $"p{i}", i * 2));
        }
        var daily = DailyJaccard.Of(Assert.Single(agg.Edges(1)), busy, quiet);
        Assert.True(daily < new DetectionOptions().MinJaccardAtHighSupport * 2, $"daily J {daily}");
    }

    [Fact]
    public void Falls_back_to_whole_history_when_daily_counts_do_not_reach_back()
    {
        var agg = new PairAggregator(new CoActivityOptions());
        agg.Add(E("a", "b", "p1", 0));
        var edge = Assert.Single(agg.Edges(1));
        var withoutDays = new AccountFeatures("a", null, null, 50, 50, new long[8], 0, null, null, null);
        var later = Account("b", [5, 6], 10);
        Assert.Equal(edge.Jaccard(50, 20), DailyJaccard.Of(edge, withoutDays, later), 9);
        Assert.Equal(0, later.CoActivityActionsOn([]) - later.CoActivityActions);
    }

    [Fact]
    public void Keeps_at_most_MaxDays_days_of_counts()
    {
        var a = Account("a", Enumerable.Range(0, AccountBehaviour.MaxDays + 10), 1);
        Assert.Equal(AccountBehaviour.MaxDays, a.CoActivityByDay.Count);
        Assert.Equal(DateOnly.FromDateTime(Start.AddDays(10).UtcDateTime), a.CoActivityByDay[0].Day);
        Assert.Equal(AccountBehaviour.MaxDays + 10, a.CoActivityActions);
    }

    [Fact]
    public void Late_records_count_on_their_own_day_in_order_and_one_older_than_every_kept_day_is_dropped_when_full()
    {
        // Days 5, 3 (late), 5, 9, 3, 7 (late): counted per day, listed oldest first.
        var a = Account("a", [5, 3, 5, 9, 3, 7], 2);
        Assert.Equal([(3, 4L), (5, 4L), (7, 2L), (9, 2L)],
            a.CoActivityByDay.Select(d => (d.Day.DayNumber - DateOnly.FromDateTime(Start.UtcDateTime).DayNumber, d.Actions)));

        // Full: a record older than every kept day comes and goes; a newer one pushes the oldest out.
        var full = Enumerable.Range(10, AccountBehaviour.MaxDays).ToList();
        var b = Account("b", [.. full, 0, 10 + AccountBehaviour.MaxDays], 1);
        Assert.Equal(AccountBehaviour.MaxDays, b.CoActivityByDay.Count);
        Assert.Equal(DateOnly.FromDateTime(Start.AddDays(11).UtcDateTime), b.CoActivityByDay[0].Day);
        Assert.Equal(DateOnly.FromDateTime(Start.AddDays(10 + AccountBehaviour.MaxDays).UtcDateTime), b.CoActivityByDay[^1].Day);
    }
}
