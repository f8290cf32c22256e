using Cib.Detection.Graphs;

namespace Cib.Detection.Tests.Graphs;

public class WeightedGraphTests
{
    [Fact]
    public void Parallel_edges_in_either_direction_are_summed_into_one_edge()
    {
        var graph = WeightedGraph.FromEdges(3, [(0, 1, 1.0), (1, 0, 2.5), (1, 2, 1.0)]);

        Assert.Equal(2, graph.EdgeCount);
        Assert.Equal(4.5, graph.TotalWeight);
        Assert.Equal([1], graph.Neighbors(0).ToArray());
        Assert.Equal([3.5], graph.NeighborWeights(0).ToArray());
        Assert.Equal(2, graph.Degree(1));
        Assert.Equal(4.5, graph.Strength(1));
    }

    [Fact]
    public void Neighbours_are_sorted_and_strengths_sum_to_twice_the_total_weight()
    {
        var graph = TestGraphs.Random(300, 2000, seed: 5);

        var strengths = 0.0;
        for (var v = 0; v < graph.VertexCount; v++)
        {
            var neighbours = graph.Neighbors(v).ToArray();
            Assert.Equal(neighbours.Order(), neighbours);
            Assert.Equal(neighbours.Length, neighbours.Distinct().Count());
            Assert.Equal(graph.NeighborWeights(v).ToArray().Sum(), graph.Strength(v), 9);
            foreach (var u in neighbours)
            {
                Assert.Contains(v, graph.Neighbors(u).ToArray());
            }
            strengths += graph.Strength(v);
        }
        Assert.Equal(2 * graph.TotalWeight, strengths, 6);
    }

    [Fact]
    public void Self_loops_are_rejected_with_the_offending_edge_named()
    {
        var error = Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(3, [(0, 1, 1.0), (2, 2, 1.0)]));
        Assert.Contains("edge 1: self-loop", error.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges([("a", "a", 1.0)], out _));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Weights_must_be_finite_and_positive(double weight)
    {
        var error = Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(2, [(0, 1, weight)]));
        Assert.Contains("finite and positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoints_out_of_range_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(2, [(0, 2, 1.0)]));
        Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(2, [(-1, 1, 1.0)]));
    }

    [Fact]
    public void Named_vertices_are_numbered_in_ordinal_order_whatever_the_edge_order()
    {
        (string, string, double)[] edges = [("carol", "alice", 1.0), ("Bob", "carol", 2.0), ("alice", "Bob", 0.5)];

        var first = WeightedGraph.FromEdges(edges, out var names);
        var second = WeightedGraph.FromEdges(edges.Reverse(), out var namesAgain);

        Assert.Equal(["Bob", "alice", "carol"], names);
        Assert.Equal(names, namesAgain);
        for (var v = 0; v < 3; v++)
        {
            Assert.Equal(first.Neighbors(v).ToArray(), second.Neighbors(v).ToArray());
            Assert.Equal(first.NeighborWeights(v).ToArray(), second.NeighborWeights(v).ToArray());
        }
        Assert.Equal(2.5, first.Strength(0));
    }

    [Fact]
    public void Vertices_without_edges_have_degree_and_strength_zero()
    {
        var graph = WeightedGraph.FromEdges(4, [(0, 1, 1.0)]);

        Assert.Equal(4, graph.VertexCount);
        Assert.Equal(0, graph.Degree(3));
        Assert.Equal(0, graph.Strength(3));
        Assert.True(graph.Neighbors(3).IsEmpty);
    }
}
