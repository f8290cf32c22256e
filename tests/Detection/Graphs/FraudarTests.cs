using Cib.Detection.Graphs;

namespace Cib.Detection.Tests.Graphs;

public class FraudarTests
{
    private const int BackgroundAccounts = 2000;
    private const int BackgroundTargets = 5000;
    private const int BlockAccounts = 30;
    private const int BlockTargets = 20;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_planted_dense_block_is_found_in_a_sparse_heavy_tailed_background(int seed)
    {
        var (graph, fraudsters) = Planted(seed, camouflage: false);

        var block = Fraudar.FindDenseBlock(graph);

        var (precision, recall) = Score(block, fraudsters);
        Assert.True(precision >= 0.95, $"precision {precision}");
        Assert.True(recall >= 0.95, $"recall {recall}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_camouflaged_block_is_still_found(int seed)
    {
        var (graph, fraudsters) = Planted(seed, camouflage: true);

        var block = Fraudar.FindDenseBlock(graph);

        var (precision, recall) = Score(block, fraudsters);
        Assert.True(precision >= 0.9, $"precision {precision}");
        Assert.True(recall >= 0.9, $"recall {recall}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Column_weighting_keeps_popular_camouflage_targets_out_of_the_block(int seed)
    {
        var (graph, _) = Planted(seed, camouflage: true);

        var weighted = Fraudar.FindDenseBlock(graph);
        var unweighted = Fraudar.FindDenseBlock(graph, new FraudarOptions { WeightByTargetDegree = false });

        static int PlantedTargets(DenseBlock b) => b.Targets.Count(t => t.StartsWith("block", StringComparison.Ordinal));
        Assert.Equal(BlockTargets, PlantedTargets(weighted));
        Assert.True((double)PlantedTargets(weighted) / weighted.Targets.Count >= 0.9, $"{weighted.Targets.Count} targets");
        Assert.True(weighted.Targets.Count - PlantedTargets(weighted) < unweighted.Targets.Count - PlantedTargets(unweighted));
    }

    [Fact]
    public void The_density_is_f_over_size_recomputed_from_the_block_edges()
    {
        var (graph, _) = Planted(3, camouflage: true);

        var block = Fraudar.FindDenseBlock(graph);

        var accounts = block.Accounts.ToHashSet(StringComparer.Ordinal);
        var targets = block.Targets.ToHashSet(StringComparer.Ordinal);
        var degree = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, target) in Pairs(graph))
        {
            degree[target] = degree.GetValueOrDefault(target) + 1;
        }
        var f = Pairs(graph).Where(p => accounts.Contains(p.Account) && targets.Contains(p.Target))
            .Sum(p => 1.0 / Math.Log(degree[p.Target] + 5));
        Assert.Equal(f, block.Suspiciousness, 9);
        Assert.Equal(f / (accounts.Count + targets.Count), block.Density, 12);
    }

    [Fact]
    public void The_block_is_at_least_as_dense_as_the_whole_graph_and_the_planted_block()
    {
        var (graph, fraudsters) = Planted(4, camouflage: true);

        var block = Fraudar.FindDenseBlock(graph);

        var all = Fraudar.ColumnWeights(graph, new bool[graph.EdgeCount], new FraudarOptions());
        var whole = Enumerable.Range(0, graph.TargetCount).Sum(t => graph.AccountsOf(t).Length * all[t]) / (graph.AccountCount + graph.TargetCount);
        Assert.True(block.Density >= whole);
        var plantedTargets = Enumerable.Range(0, graph.TargetCount).Where(t => graph.TargetNames[t].StartsWith("block", StringComparison.Ordinal)).ToHashSet();
        var planted = fraudsters.Sum(a => graph.TargetsOf(a).ToArray().Where(plantedTargets.Contains).Sum(t => all[t])) / (fraudsters.Count + plantedTargets.Count);
        Assert.True(block.Density >= planted / 2, "Fraudar guarantees at least half the best density");
    }

    [Fact]
    public void The_same_graph_gives_the_same_blocks()
    {
        var (graph, _) = Planted(5, camouflage: true);

        var first = Fraudar.FindDenseBlocks(graph, 3);
        var second = Fraudar.FindDenseBlocks(graph, 3);

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Accounts, second[i].Accounts);
            Assert.Equal(first[i].Targets, second[i].Targets);
            Assert.Equal(first[i].Density, second[i].Density);
        }
    }

    [Fact]
    public void Two_planted_blocks_are_found_one_after_the_other()
    {
        var random = new Random(6);
        var pairs = new List<(string, string)>();
        for (var a = 0; a < 500; a++)
        {
            for (var i = 0; i < 5; i++)
            {
                pairs.Add(($"user{a:D4}", $"item{random.Next(1000):D4}"));
            }
        }
        foreach (var (prefix, accounts, targets) in new[] { ("x", 20, 15), ("y", 12, 10) })
        {
            for (var a = 0; a < accounts; a++)
            {
                for (var t = 0; t < targets; t++)
                {
                    pairs.Add(($"{prefix}-user{a:D2}", $"{prefix}-item{t:D2}"));
                }
            }
        }
        var graph = BipartiteGraph.FromPairs(pairs);

        var blocks = Fraudar.FindDenseBlocks(graph, 2);

        Assert.Equal(2, blocks.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(a => $"x-user{a:D2}"), blocks[0].Accounts);
        Assert.Equal(Enumerable.Range(0, 15).Select(t => $"x-item{t:D2}"), blocks[0].Targets);
        Assert.Equal(Enumerable.Range(0, 12).Select(a => $"y-user{a:D2}"), blocks[1].Accounts);
        Assert.Equal(Enumerable.Range(0, 10).Select(t => $"y-item{t:D2}"), blocks[1].Targets);
        Assert.True(blocks[0].Density > blocks[1].Density);
    }

    [Fact]
    public void Repeated_pairs_count_once_and_names_are_numbered_in_ordinal_order()
    {
        var graph = BipartiteGraph.FromPairs([("b", "t2"), ("a", "t1"), ("b", "t2"), ("B", "t1")]);

        Assert.Equal(["B", "a", "b"], graph.AccountNames);
        Assert.Equal(["t1", "t2"], graph.TargetNames);
        Assert.Equal(3, graph.EdgeCount);
        Assert.Equal([0, 1], graph.AccountsOf(0).ToArray());
        Assert.Equal([1], graph.TargetsOf(2).ToArray());
    }

    [Fact]
    public void A_graph_without_edges_gives_no_blocks()
    {
        var graph = BipartiteGraph.FromPairs([]);

        Assert.Empty(Fraudar.FindDenseBlocks(graph, 3));
        Assert.Equal(0, Fraudar.FindDenseBlock(graph).Density);
    }

    /// <summary>
    /// Background accounts hit 5..25 targets drawn with Zipf(1) popularity; the block's accounts each hit
    /// 80% of the block's targets and, with camouflage, as many popular targets as a background account.
    /// </summary>
    private static (BipartiteGraph Graph, HashSet<int> Fraudsters) Planted(int seed, bool camouflage)
    {
        var random = new Random(seed);
        var cumulative = new double[BackgroundTargets];
        var sum = 0.0;
        for (var t = 0; t < BackgroundTargets; t++)
        {
            sum += 1.0 / (t + 1);
            cumulative[t] = sum;
        }
        int Popular()
        {
            var i = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            return Math.Min(i < 0 ? ~i : i, BackgroundTargets - 1);
        }
        var pairs = new List<(string, string)>();
        for (var a = 0; a < BackgroundAccounts; a++)
        {
            var hits = random.Next(5, 26);
            for (var i = 0; i < hits; i++)
            {
                pairs.Add(($"account{a:D4}", $"target{Popular():D4}"));
            }
        }
        for (var a = 0; a < BlockAccounts; a++)
        {
            var name = $"fraud{a:D2}";
            foreach (var t in Enumerable.Range(0, BlockTargets).OrderBy(_ => random.Next()).Take(BlockTargets * 8 / 10))
            {
                pairs.Add((name, $"block{t:D2}"));
            }
            if (camouflage)
            {
                var hits = random.Next(5, 26);
                for (var i = 0; i < hits; i++)
                {
                    pairs.Add((name, $"target{Popular():D4}"));
                }
            }
        }
        var graph = BipartiteGraph.FromPairs(pairs);
        var fraudsters = Enumerable.Range(0, graph.AccountCount).Where(a => graph.AccountNames[a].StartsWith("fraud", StringComparison.Ordinal)).ToHashSet();
        return (graph, fraudsters);
    }

    private static (double Precision, double Recall) Score(DenseBlock block, HashSet<int> fraudsters)
    {
        var caught = block.AccountIds.Count(fraudsters.Contains);
        return (block.AccountIds.Count == 0 ? 0 : (double)caught / block.AccountIds.Count, (double)caught / fraudsters.Count);
    }

    private static IEnumerable<(string Account, string Target)> Pairs(BipartiteGraph graph)
    {
        for (var a = 0; a < graph.AccountCount; a++)
        {
            foreach (var t in graph.TargetsOf(a).ToArray())
            {
                yield return (graph.AccountNames[a], graph.TargetNames[t]);
            }
        }
    }
}
