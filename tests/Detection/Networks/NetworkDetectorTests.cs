using Cib.Detection.CoActivity;
using Cib.Detection.Networks;

namespace Cib.Detection.Tests.Networks;

public class NetworkDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static EdgeSummary Edge(string a, string b, int support) =>
        new(a, b, support, support * 0.5, [support, 0, 0, 0, 0, 0, 0, 0, 0], 10, Start, Start.AddHours(1), []);

    private static AccountFeatures Account(string id, long coActions) =>
        new(id, Start, Start.AddHours(1), coActions, coActions, new long[8], 0, null, null, null);

    /// <summary>A clique of <paramref name="core"/> accounts c0.. with strong edges, plus the given extra edges.</summary>
    private static (List<EdgeSummary> Edges, Dictionary<string, AccountFeatures> Accounts) Clique(int core, params EdgeSummary[] extra)
    {
        var edges = new List<EdgeSummary>();
        for (var i = 0; i < core; i++)
        {
            for (var j = i + 1; j < core; j++)
            {
                edges.Add(Edge($"c{i:D2}", $"c{j:D2}", 8));
            }
        }
        edges.AddRange(extra);
        var accounts = edges.SelectMany(e => new[] { e.A, e.B }).Distinct().ToDictionary(a => a, a => Account(a, 40));
        return (edges, accounts);
    }

    [Fact]
    public void An_account_with_weak_edges_to_half_of_a_cluster_joins_it_with_those_edges()
    {
        var weak = Enumerable.Range(0, 5).Select(i => Edge($"c{i:D2}", "m", 2)).ToArray();
        var (edges, accounts) = Clique(10, weak);
        var cluster = Assert.Single(NetworkDetector.FindClusters(edges, accounts, new CoActivityOptions(), new DetectionOptions()));
        Assert.Contains("m", cluster.Members);
        Assert.Equal(11, cluster.Members.Count);
        Assert.Equal(45 + 5, cluster.Edges.Count);
    }

    [Fact]
    public void Weak_edges_to_fewer_than_half_or_to_a_small_cluster_attach_nobody()
    {
        var (edges, accounts) = Clique(10, [.. Enumerable.Range(0, 4).Select(i => Edge($"c{i:D2}", "m", 3))]);
        Assert.DoesNotContain("m", Assert.Single(NetworkDetector.FindClusters(edges, accounts, new CoActivityOptions(), new DetectionOptions())).Members);

        var (small, smallAccounts) = Clique(4, [.. Enumerable.Range(0, 4).Select(i => Edge($"c{i:D2}", "m", 3))]);
        Assert.DoesNotContain("m", Assert.Single(NetworkDetector.FindClusters(small, smallAccounts, new CoActivityOptions(), new DetectionOptions())).Members);
    }

    [Fact]
    public void Attached_accounts_do_not_attract_others()
    {
        var weak = Enumerable.Range(0, 5).Select(i => Edge($"c{i:D2}", "m", 2))
            .Concat(Enumerable.Range(0, 5).Select(i => Edge($"c{i + 5:D2}", "n", 2)))
            .Append(Edge("m", "x", 3)).Append(Edge("n", "x", 3)).ToArray();
        var (edges, accounts) = Clique(10, weak);
        var cluster = Assert.Single(NetworkDetector.FindClusters(edges, accounts, new CoActivityOptions(), new DetectionOptions()));
        Assert.Contains("m", cluster.Members);
        Assert.Contains("n", cluster.Members);
        Assert.DoesNotContain("x", cluster.Members);
    }

    [Fact]
    public void Attachment_can_be_turned_off()
    {
        var (edges, accounts) = Clique(10, [.. Enumerable.Range(0, 6).Select(i => Edge($"c{i:D2}", "m", 2))]);
        var cluster = Assert.Single(NetworkDetector.FindClusters(edges, accounts, new CoActivityOptions(), new DetectionOptions { AttachMinShare = 0 }));
        Assert.DoesNotContain("m", cluster.Members);
    }

    [Fact]
    public void A_mean_occasion_weight_floor_drops_edges_made_in_crowds_and_keeps_those_made_in_small_groups()
    {
        // Weight per occasion 1 / log2(1 + c): a triangle met in crowds of 100 (0.15 each) and one met in threes (0.5 each).
        EdgeSummary Met(string a, string b, int crowd) => Edge(a, b, 6) with { Weight = 6 / Math.Log2(1 + crowd) };
        var edges = new List<EdgeSummary> { Met("a1", "a2", 100), Met("a1", "a3", 100), Met("a2", "a3", 100), Met("b1", "b2", 3), Met("b1", "b3", 3), Met("b2", "b3", 3) };
        var accounts = edges.SelectMany(e => new[] { e.A, e.B }).Distinct().ToDictionary(a => a, a => Account(a, 40));

        Assert.Equal(2, NetworkDetector.FindClusters(edges, accounts, new CoActivityOptions(), new DetectionOptions()).Count);
        var filtered = Assert.Single(NetworkDetector.FindClusters(edges, accounts, new CoActivityOptions(), new DetectionOptions { MinMeanOccasionWeight = 0.3 }));
        Assert.Equal(["b1", "b2", "b3"], filtered.Members.Order(StringComparer.Ordinal));
        Assert.Equal(0.5, NetworkDetector.MeanOccasionWeight(edges[^1]), 6);
        Assert.Throws<ArgumentException>(() => new DetectionOptions { MinMeanOccasionWeight = 1.5 }.Validate());
    }

    [Fact]
    public void Hyperactive_pairs_need_a_minimum_jaccard_even_with_many_occasions()
    {
        var edges = new List<EdgeSummary> { Edge("h1", "h2", 12), Edge("h2", "h3", 12), Edge("h1", "h3", 12) };
        var busy = edges.SelectMany(e => new[] { e.A, e.B }).Distinct().ToDictionary(a => a, a => Account(a, 5000));
        Assert.Empty(NetworkDetector.FindClusters(edges, busy, new CoActivityOptions(), new DetectionOptions()));
        var active = busy.Keys.ToDictionary(a => a, a => Account(a, 1000));
        Assert.Single(NetworkDetector.FindClusters(edges, active, new CoActivityOptions(), new DetectionOptions()));
    }

    [Theory]
    [InlineData(-0.1, 5, "AttachMinShare")]
    [InlineData(0.5, 0, "AttachMinLinks")]
    public void Bad_attachment_settings_are_named(double share, int links, string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new DetectionOptions { AttachMinShare = share, AttachMinLinks = links }.Validate());
        Assert.Contains(name, error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_bad_leiden_resolution_is_named(double resolution)
    {
        var error = Assert.Throws<ArgumentException>(() => new DetectionOptions { LeidenResolution = resolution }.Validate());
        Assert.Contains("LeidenResolution", error.Message);
    }
}
