using Cib.Detection.Graphs;

namespace Cib.Detection.Tests.Graphs;

public class UnionFindTests
{
    [Fact]
    public void Every_vertex_is_labelled_and_both_ends_of_every_edge_share_a_label()
    {
        var random = new Random(3);
        const int n = 2000;
        var edges = Enumerable.Range(0, 1500).Select(_ => (random.Next(n), random.Next(n))).ToArray();
        var uf = new UnionFind(n);
        foreach (var (a, b) in edges)
        {
            uf.Union(a, b);
        }
        var labels = uf.Labels(out var count);
        Assert.All(labels, l => Assert.InRange(l, 0, count - 1));
        Assert.All(edges, e => Assert.Equal(labels[e.Item1], labels[e.Item2]));
        Assert.Equal(count, labels.Distinct().Count());
    }

    [Fact]
    public void Labels_are_numbered_by_smallest_vertex_whatever_the_union_order()
    {
        var a = new UnionFind(6);
        a.Union(5, 4);
        a.Union(1, 2);
        var b = new UnionFind(6);
        b.Union(2, 1);
        b.Union(4, 5);
        Assert.Equal(a.Labels(out _), b.Labels(out _));
        Assert.Equal([0, 1, 1, 2, 3, 3], a.Labels(out var count));
        Assert.Equal(4, count);
    }
}
