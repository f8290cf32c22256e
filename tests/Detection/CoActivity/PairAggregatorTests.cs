using Cib.Detection.CoActivity;

namespace Cib.Detection.Tests.CoActivity;

public class PairAggregatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static CoActivityEvidence E(string a, string b, string target, int minutes, int crowd = 2, CoActivityKind kind = CoActivityKind.CoRepost) =>
        CoActivityEvidence.Create(a, Start.AddMinutes(minutes).UtcTicks, b, Start.AddMinutes(minutes).AddSeconds(5).UtcTicks, kind, target, crowd);

    [Fact]
    public void Support_counts_distinct_targets_not_repeated_co_actions()
    {
        var agg = new PairAggregator(new CoActivityOptions());
        agg.Add(E("a", "b", "p1", 0));
        agg.Add(E("b", "a", "p1", 1));
        agg.Add(E("a", "b", "p2", 2));
        var edge = Assert.Single(agg.Edges(1));
        Assert.Equal(("a", "b"), (edge.A, edge.B));
        Assert.Equal(2, edge.Support);
    }

    [Fact]
    public void A_pair_with_many_occasions_counts_each_once_whatever_the_repeats()
    {
        // Past a handful of occasions the pair's seen hashes move from a short array to a set: the counts must not notice.
        var agg = new PairAggregator(new CoActivityOptions());
        for (var round = 0; round < 3; round++)
        {
            for (var p = 0; p < 40; p++)
            {
                agg.Add(E("a", "b", $"p{p}", p, kind: round == 1 ? CoActivityKind.CoLike : CoActivityKind.CoRepost));
            }
        }
        var edge = Assert.Single(agg.Edges(1));
        Assert.Equal(40, edge.Support);
        Assert.Equal(40, edge.SupportByKind[(int)CoActivityKind.CoRepost]);
        Assert.Equal(40, edge.SupportByKind[(int)CoActivityKind.CoLike]);
        Assert.Equal((80, 80), (edge.ActionsA, edge.ActionsB));
    }

    [Fact]
    public void The_same_target_in_different_buckets_is_a_new_occasion()
    {
        var agg = new PairAggregator(new CoActivityOptions { OccasionBucket = TimeSpan.FromHours(1) });
        agg.Add(E("a", "b", "tag", 0, kind: CoActivityKind.CoHashtag));
        agg.Add(E("a", "b", "tag", 90, kind: CoActivityKind.CoHashtag));
        Assert.Equal(2, agg.Edges(1)[0].Support);
        Assert.Equal(2, agg.Edges(1)[0].SupportByKind[(int)CoActivityKind.CoHashtag]);
    }

    [Fact]
    public void Weight_discounts_co_activity_inside_crowds()
    {
        var agg = new PairAggregator(new CoActivityOptions());
        agg.Add(E("a", "b", "quiet", 0, crowd: 2));
        agg.Add(E("c", "d", "viral", 0, crowd: 1000));
        var edges = agg.Edges(1).ToDictionary(e => e.A);
        Assert.Equal(1.0 / Math.Log2(3), edges["a"].Weight, 9);
        Assert.True(edges["c"].Weight < 0.11);
    }

    [Fact]
    public void Evidence_sample_is_bounded_and_independent_of_arrival_order()
    {
        var options = new CoActivityOptions { EvidenceSamplesPerEdge = 4 };
        var evidence = Enumerable.Range(0, 30).Select(i => E("a", "b", $"p{i}", i * 3)).ToArray();
        var forward = new PairAggregator(options);
        var backward = new PairAggregator(options);
        foreach (var e in evidence)
        {
            forward.Add(e);
        }
        foreach (var e in evidence.Reverse())
        {
            backward.Add(e);
        }
        var f = forward.Edges(1)[0];
        var b = backward.Edges(1)[0];
        Assert.Equal(30, f.Support);
        Assert.Equal(4, f.Samples.Count);
        Assert.Equal(f.Samples.Select(s => s.TargetKey), b.Samples.Select(s => s.TargetKey));
    }

    [Fact]
    public void Jaccard_penalises_hyperactive_accounts()
    {
        var agg = new PairAggregator(new CoActivityOptions());
        for (var i = 0; i < 5; i++)
        {
            agg.Add(E("a", "b", $"p{i}", i));
        }
        var edge = agg.Edges(1)[0];
        Assert.Equal(5 / 15.0, edge.Jaccard(10, 10), 9);
        Assert.True(edge.Jaccard(2000, 10) < 0.01);
        Assert.Equal(0, edge.Jaccard(0, 0));
    }

    [Fact]
    public void Reposting_liking_and_replying_to_one_post_is_one_occasion_counted_under_each_kind()
    {
        var agg = new PairAggregator(new CoActivityOptions());
        agg.Add(E("a", "b", "p1", 0, kind: CoActivityKind.CoLike));
        agg.Add(E("a", "b", "p1", 0, kind: CoActivityKind.CoRepost));
        agg.Add(E("a", "b", "p1", 1, kind: CoActivityKind.CoReply));
        agg.Add(E("a", "b", "p2", 2, kind: CoActivityKind.CoLike));
        var edge = Assert.Single(agg.Edges(1));
        Assert.Equal(2, edge.Support);
        Assert.Equal(1, edge.SupportByKind[(int)CoActivityKind.CoRepost]);
        Assert.Equal(2, edge.SupportByKind[(int)CoActivityKind.CoLike]);
        Assert.Equal(1, edge.SupportByKind[(int)CoActivityKind.CoReply]);
    }

    [Fact]
    public void A_hashtag_and_a_post_with_the_same_key_stay_two_occasions()
    {
        var agg = new PairAggregator(new CoActivityOptions());
        agg.Add(E("a", "b", "same", 0, kind: CoActivityKind.CoRepost));
        agg.Add(E("a", "b", "same", 0, kind: CoActivityKind.CoHashtag));
        Assert.Equal(2, agg.Edges(1)[0].Support);
    }

    [Fact]
    public void Support_and_per_kind_counts_do_not_depend_on_arrival_order()
    {
        var random = new Random(3);
        var kinds = new[] { CoActivityKind.CoRepost, CoActivityKind.CoLike, CoActivityKind.CoReply, CoActivityKind.CoLink };
        var evidence = Enumerable.Range(0, 300).Select(_ => E("a", "b", "p" + random.Next(20), random.Next(600), kind: kinds[random.Next(kinds.Length)])).ToList();
        static string Key(EdgeSummary e) => $"{e.Support}|{string.Join(',', e.SupportByKind)}";
        var expected = Aggregate(evidence);
        for (var trial = 0; trial < 10; trial++)
        {
            Assert.Equal(Key(expected), Key(Aggregate([.. evidence.OrderBy(_ => random.Next())])));
        }

        static EdgeSummary Aggregate(IEnumerable<CoActivityEvidence> items)
        {
            var agg = new PairAggregator(new CoActivityOptions());
            foreach (var e in items)
            {
                agg.Add(e);
            }
            return Assert.Single(agg.Edges(1));
        }
    }

    [Fact]
    public void Symmetry_is_the_smaller_over_the_larger_count_of_distinct_actions_behind_the_edge()
    {
        var agg = new PairAggregator(new CoActivityOptions());
        var b = Start.UtcTicks;
        // A hyperactive account hits one post three times around B's single repost; both accounts' reposts of p2 meet once.
        foreach (var seconds in new[] { -20, 5, 30 })
        {
            agg.Add(CoActivityEvidence.Create("a", b + TimeSpan.FromSeconds(seconds).Ticks, "b", b, CoActivityKind.CoRepost, "p1", 2));
        }
        agg.Add(E("a", "b", "p2", 10));
        agg.Add(E("a", "b", "p2", 10));
        var edge = Assert.Single(agg.Edges(1));
        Assert.Equal((4, 2), (edge.ActionsA, edge.ActionsB));
        Assert.Equal(0.5, edge.Symmetry, 9);

        var even = new PairAggregator(new CoActivityOptions());
        for (var i = 0; i < 4; i++)
        {
            even.Add(E("a", "b", $"q{i}", i));
        }
        Assert.Equal(1.0, even.Edges(1)[0].Symmetry, 9);
    }

    [Fact]
    public void Text_and_media_of_one_pair_of_posts_are_one_occasion_in_any_order()
    {
        var t = Start.UtcTicks;
        var second = TimeSpan.TicksPerSecond;
        CoActivityEvidence[] evidence =
        [
            CoActivityEvidence.Create("a", t, "b", t + (20 * second), CoActivityKind.CoText, "text1", 2),
            CoActivityEvidence.Create("a", t, "b", t + (20 * second), CoActivityKind.CoMedia, "m1~m2~d3", 2),
            CoActivityEvidence.Create("a", t, "b", t + (20 * second), CoActivityKind.CoFingerprint, "f1", 2),
            CoActivityEvidence.Create("a", t + (600 * second), "b", t + (630 * second), CoActivityKind.CoText, "text1", 2),
            CoActivityEvidence.Create("a", t + (600 * second), "b", t + (630 * second), CoActivityKind.CoNearText, "h1~h2~j0.70", 2),
        ];
        foreach (var order in new[] { evidence, evidence.Reverse().ToArray(), [evidence[3], evidence[1], evidence[4], evidence[0], evidence[2]] })
        {
            var agg = new PairAggregator(new CoActivityOptions());
            foreach (var e in order)
            {
                agg.Add(e);
            }
            var edge = Assert.Single(agg.Edges(1));
            Assert.Equal(2, edge.Support);
            Assert.Equal(1, edge.SupportByKind[(int)CoActivityKind.CoText]);
            Assert.Equal(1, edge.SupportByKind[(int)CoActivityKind.CoMedia]);
        }
    }

    [Fact]
    public void Active_days_are_distinct_and_ascending_whatever_order_the_occasions_arrive_in()
    {
        var agg = new PairAggregator(new CoActivityOptions());
        var i = 0;
        foreach (var day in new[] { 3, 1, 3, 4, 0, 2, 1, 4 })
        {
            agg.Add(E("a", "b", $"p{i++}", day * 24 * 60));
        }
        var edge = Assert.Single(agg.Edges(1));
        Assert.Equal(Enumerable.Range(0, 5).Select(d => DateOnly.FromDateTime(Start.AddDays(d).UtcDateTime)), edge.ActiveDays);
        Assert.Equal(8, edge.Samples.Count);
        Assert.Equal(edge.Samples.OrderBy(x => x.TimeA).Select(x => x.TargetKey), edge.Samples.Select(x => x.TargetKey));
    }
}
