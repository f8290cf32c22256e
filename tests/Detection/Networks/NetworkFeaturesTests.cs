using Cib.Detection.CoActivity;
using Cib.Detection.Networks;

namespace Cib.Detection.Tests.Networks;

public class NetworkFeaturesTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static int Feature(string name) => NetworkFeatures.Names.ToList().IndexOf(name);

    private static NetworkEdge Edge(string a, string b, double gap, params string[] targets) =>
        new(new EdgeSummary(a, b, targets.Length, targets.Length, [targets.Length, 0, 0, 0, 0, 0, 0, 0, 0], gap, Start, Start.AddHours(1),
            [.. targets.Select(t => new EvidenceSample(CoActivityKind.CoRepost, t, Start, Start.AddSeconds(gap)))]), 0.2);

    private static AccountFeatures Account(string id) => new(id, Start, Start.AddHours(1), 10, 10, new long[8], 0, null, null, null);

    private static double[] Compute(string[] members, NetworkEdge[] edges, IReadOnlySet<string>? labelled = null) =>
        NetworkFeatures.Compute([.. members.Select(Account)], edges, new CoActivityOptions(), labelled);

    [Fact]
    public void A_clique_has_core_ratio_1_and_a_star_much_less()
    {
        string[] members = ["a", "b", "c", "d", "e"];
        var clique = members.SelectMany((x, i) => members.Skip(i + 1).Select(y => Edge(x, y, 5, "p1"))).ToArray();
        var star = members.Skip(1).Select(y => Edge("a", y, 5, "p1")).ToArray();
        Assert.Equal(1.0, Compute(members, clique)[Feature("core_ratio")], 9);
        Assert.Equal(0.25, Compute(members, star)[Feature("core_ratio")], 9);
    }

    [Fact]
    public void Synchrony_spread_is_zero_when_every_pair_keeps_the_same_step()
    {
        string[] members = ["a", "b", "c"];
        Assert.Equal(0, Compute(members, [Edge("a", "b", 6, "p1"), Edge("b", "c", 6, "p2")])[Feature("synchrony_spread")], 9);
        Assert.True(Compute(members, [Edge("a", "b", 1, "p1"), Edge("b", "c", 59, "p2")])[Feature("synchrony_spread")] > 0.4);
    }

    [Fact]
    public void Target_concentration_is_high_when_every_pair_pushes_the_same_targets()
    {
        string[] members = ["a", "b", "c"];
        var same = Compute(members, [Edge("a", "b", 5, "p1", "p2"), Edge("b", "c", 5, "p1", "p2"), Edge("a", "c", 5, "p1", "p2")])[Feature("target_concentration")];
        var spread = Compute(members, [Edge("a", "b", 5, "p1", "p2"), Edge("b", "c", 5, "p3", "p4"), Edge("a", "c", 5, "p5", "p6")])[Feature("target_concentration")];
        Assert.Equal(1 - (2 / 6.0), same, 9);
        Assert.Equal(0, spread, 9);
    }

    [Fact]
    public void Labelled_share_counts_members_with_a_label()
    {
        string[] members = ["a", "b", "c", "d"];
        var edges = new[] { Edge("a", "b", 5, "p1") };
        Assert.Equal(0.5, Compute(members, edges, new HashSet<string> { "a", "c", "outsider" })[Feature("labelled_share")], 9);
        Assert.Equal(0, Compute(members, edges)[Feature("labelled_share")], 9);
    }
}
