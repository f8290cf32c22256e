using Cib.Detection.Graphs;

namespace Cib.Detection.Tests.Graphs;

public class LeidenTests
{
    [Fact]
    public void Two_cliques_joined_by_one_edge_are_two_communities()
    {
        var edges = TestGraphs.Cliques(2, 5);
        edges.Add((4, 5, 1.0));
        var graph = WeightedGraph.FromEdges(10, edges);

        var partition = Leiden.FindCommunities(graph);

        Assert.Equal(2, partition.Count);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], partition.Labels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Ring_of_cliques_at_resolution_one_merges_neighbouring_cliques_but_never_splits_one(int seed)
    {
        // The resolution limit (Fortunato and Barthélemy 2007): on a ring of n cliques K_5 (10 edges
        // each, 11 with its link), merging two neighbours raises modularity when n > 2·(10 + 1) = 22,
        // and merging three never pays at n = 30. So at γ = 1 the optimum is 15 pairs; a local
        // optimum may leave a few cliques alone between pairs, but no community may split a clique,
        // join cliques that are not neighbours, or hold more than two.
        const int cliques = 30, size = 5;
        var graph = TestGraphs.RingOfCliques(cliques, size);
        var singles = Enumerable.Range(0, cliques * size).Select(v => v / size).ToArray();
        var pairs = Enumerable.Range(0, cliques * size).Select(v => v / (2 * size)).ToArray();
        var triples = Enumerable.Range(0, cliques * size).Select(v => v / (3 * size)).ToArray();
        Assert.True(Leiden.Modularity(graph, pairs) > Leiden.Modularity(graph, singles));
        Assert.True(Leiden.Modularity(graph, pairs) > Leiden.Modularity(graph, triples));

        var partition = Leiden.FindCommunities(graph, new LeidenOptions { Seed = seed });

        for (var c = 0; c < cliques; c++)
        {
            Assert.Single(Enumerable.Range(c * size, size).Select(v => partition.Labels[v]).Distinct());
        }
        var communities = Enumerable.Range(0, cliques).GroupBy(c => partition.Labels[c * size]).ToArray();
        Assert.All(communities, g => Assert.InRange(g.Count(), 1, 2));
        Assert.All(communities.Where(g => g.Count() == 2), g => Assert.True(g.Max() - g.Min() is 1 or cliques - 1, $"cliques {g.Min()} and {g.Max()} are not neighbours"));
        Assert.InRange(partition.Count, 15, 20);
        Assert.True(partition.Modularity > Leiden.Modularity(graph, singles));
    }

    [Fact]
    public void Ring_of_cliques_at_a_higher_resolution_keeps_every_clique_apart()
    {
        // Pairing stops paying once γ > 2m / D² = 660 / 22² ≈ 1.36 (D: total strength of one clique).
        var graph = TestGraphs.RingOfCliques(30, 5);

        var partition = Leiden.FindCommunities(graph, new LeidenOptions { Resolution = 2 });

        Assert.Equal(Enumerable.Range(0, 150).Select(v => v / 5), partition.Labels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Planted_partition_is_recovered(int seed)
    {
        var graph = TestGraphs.PlantedPartition(8, 30, 0.3, 0.01, seed, out var truth);

        var partition = Leiden.FindCommunities(graph, new LeidenOptions { Seed = seed });

        Assert.True(AdjustedRandIndex.Compute(partition.ToArray(), truth) >= 0.95);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_community_is_connected_before_any_safety_split(int seed)
    {
        // Sparse graphs with weak structure are where Louvain leaves communities disconnected.
        foreach (var graph in new[] { TestGraphs.Random(2000, 3000, seed), TestGraphs.PlantedPartition(10, 40, 0.15, 0.02, seed, out _) })
        {
            var raw = Leiden.Partition(graph, new LeidenOptions { Seed = seed }, out _);

            Assert.True(TestGraphs.CommunitiesAreConnected(graph, raw));
            Assert.True(TestGraphs.CommunitiesAreConnected(graph, Leiden.FindCommunities(graph, new LeidenOptions { Seed = seed }).Labels));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Modularity_is_at_least_that_of_the_first_local_moving_phase_and_of_louvain(int seed)
    {
        foreach (var graph in new[] { TestGraphs.Random(2000, 6000, seed), TestGraphs.PlantedPartition(8, 30, 0.3, 0.01, seed, out _), TestGraphs.RingOfCliques(40, 4) })
        {
            var options = new LeidenOptions { Seed = seed };
            var leiden = Leiden.FindCommunities(graph, options);
            var firstPhase = Leiden.Modularity(graph, Leiden.LocalMovingOnly(graph, options));
            var louvain = Leiden.FindCommunities(graph, options with { Refine = false });

            Assert.True(leiden.Modularity >= firstPhase - 1e-12, $"Leiden {leiden.Modularity} < first phase {firstPhase}");
            Assert.True(leiden.Modularity >= louvain.Modularity - 1e-3, $"Leiden {leiden.Modularity} << Louvain {louvain.Modularity}");
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_partition()
    {
        var graph = TestGraphs.Random(3000, 12_000, seed: 9);

        var first = Leiden.FindCommunities(graph, new LeidenOptions { Seed = 42 });
        var second = Leiden.FindCommunities(graph, new LeidenOptions { Seed = 42 });

        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal(first.Modularity, second.Modularity);
    }

    [Fact]
    public void Every_vertex_is_labelled_and_labels_are_numbered_by_smallest_vertex()
    {
        // Vertices 1000..1049 are isolated.
        var random = new Random(4);
        var edges = Enumerable.Range(0, 4000).Select(_ => (random.Next(1000), random.Next(1000), 1.0)).Where(e => e.Item1 != e.Item2);
        var graph = WeightedGraph.FromEdges(1050, edges);

        var partition = Leiden.FindCommunities(graph);

        Assert.Equal(1050, partition.Labels.Count);
        Assert.All(partition.Labels, l => Assert.InRange(l, 0, partition.Count - 1));
        Assert.Equal(partition.Count, partition.Labels.Distinct().Count());
        var nextNew = 0;
        foreach (var label in partition.Labels)
        {
            Assert.True(label <= nextNew);
            nextNew = Math.Max(nextNew, label + 1);
        }
        Assert.Equal(50, Enumerable.Range(1000, 50).Select(v => partition.Labels[v]).Distinct().Count());
    }

    [Fact]
    public void Modularity_of_two_triangles_joined_by_an_edge_is_five_fourteenths()
    {
        // m = 7; each triangle: I_c = 2·3 = 6, K_c = 7, so Q = 2·(6/14 − (7/14)²) = 5/14.
        var graph = WeightedGraph.FromEdges(6, [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (3, 4, 1.0), (4, 5, 1.0), (3, 5, 1.0), (2, 3, 1.0)]);

        Assert.Equal(5.0 / 14.0, Leiden.Modularity(graph, [0, 0, 0, 1, 1, 1]), 12);
        Assert.Equal(5.0 / 14.0, Leiden.FindCommunities(graph).Modularity, 12);
        Assert.Equal(0.0, Leiden.Modularity(graph, [0, 0, 0, 0, 0, 0], resolution: 1), 12);
    }

    [Fact]
    public void Reported_modularity_is_the_modularity_of_the_labels()
    {
        var graph = TestGraphs.PlantedPartition(5, 20, 0.4, 0.05, seed: 8, out _);
        var options = new LeidenOptions { Resolution = 0.7, Seed = 3 };

        var partition = Leiden.FindCommunities(graph, options);

        Assert.Equal(Leiden.Modularity(graph, partition.Labels, 0.7), partition.Modularity, 12);
    }

    [Fact]
    public void A_graph_without_edges_is_all_singletons()
    {
        var partition = Leiden.FindCommunities(WeightedGraph.FromEdges(4, []));

        Assert.Equal([0, 1, 2, 3], partition.Labels);
        Assert.Equal(0, partition.Modularity);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        var graph = WeightedGraph.FromEdges(2, [(0, 1, 1.0)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Leiden.FindCommunities(graph, new LeidenOptions { Resolution = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Leiden.FindCommunities(graph, new LeidenOptions { Randomness = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Leiden.FindCommunities(graph, new LeidenOptions { MaxIterations = 0 }));
    }
}
