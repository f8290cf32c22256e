using Cib.Detection.Graphs;

namespace Cib.Detection.Tests.Graphs;

public class KCoreTests
{
    [Fact]
    public void Every_vertex_of_a_clique_of_five_has_core_four()
    {
        var graph = WeightedGraph.FromEdges(5, TestGraphs.Cliques(1, 5));

        Assert.All(KCore.CoreNumbers(graph), k => Assert.Equal(4, k));
    }

    [Fact]
    public void A_path_and_a_star_have_core_one()
    {
        var path = WeightedGraph.FromEdges(6, Enumerable.Range(0, 5).Select(i => (i, i + 1, 1.0)));
        var star = WeightedGraph.FromEdges(7, Enumerable.Range(1, 6).Select(i => (0, i, 1.0)));

        Assert.All(KCore.CoreNumbers(path), k => Assert.Equal(1, k));
        Assert.All(KCore.CoreNumbers(star), k => Assert.Equal(1, k));
    }

    [Fact]
    public void A_pendant_on_a_clique_has_core_one_and_the_clique_keeps_core_four()
    {
        var edges = TestGraphs.Cliques(1, 5);
        edges.Add((2, 5, 1.0));

        Assert.Equal([4, 4, 4, 4, 4, 1, 0], KCore.CoreNumbers(WeightedGraph.FromEdges(7, edges)));
    }

    [Fact]
    public void Weights_do_not_change_core_numbers()
    {
        var edges = TestGraphs.Cliques(1, 4).Select((e, i) => (e.U, e.V, 1.0 + i * 10)).ToList();

        Assert.All(KCore.CoreNumbers(WeightedGraph.FromEdges(4, edges)), k => Assert.Equal(3, k));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Each_vertex_with_core_k_has_k_neighbours_of_core_at_least_k_and_matches_naive_peeling(int seed)
    {
        var graph = TestGraphs.Random(400, 3000, seed);

        var cores = KCore.CoreNumbers(graph);

        for (var v = 0; v < graph.VertexCount; v++)
        {
            var k = cores[v];
            var strong = 0;
            foreach (var u in graph.Neighbors(v))
            {
                if (cores[u] >= k)
                {
                    strong++;
                }
            }
            Assert.True(strong >= k, $"vertex {v} has core {k} but only {strong} neighbours of core >= {k}");
        }
        Assert.Equal(NaiveCores(graph), cores);
    }

    /// <summary>Core numbers by definition: the k-core is what survives removing vertices of degree &lt; k until none is left.</summary>
    private static int[] NaiveCores(WeightedGraph graph)
    {
        var n = graph.VertexCount;
        var cores = new int[n];
        for (var k = 1; ; k++)
        {
            // The k-core lies inside the (k-1)-core, whose vertices all have core k-1 so far.
            var alive = new bool[n];
            var any = false;
            for (var v = 0; v < n; v++)
            {
                alive[v] = cores[v] == k - 1;
            }
            for (var changed = true; changed;)
            {
                changed = false;
                for (var v = 0; v < n; v++)
                {
                    if (alive[v] && graph.Neighbors(v).ToArray().Count(u => alive[u]) < k)
                    {
                        alive[v] = false;
                        changed = true;
                    }
                }
            }
            for (var v = 0; v < n; v++)
            {
                if (alive[v])
                {
                    cores[v] = k;
                    any = true;
                }
            }
            if (!any)
            {
                return cores;
            }
        }
    }
}
