using BenchmarkDotNet.Attributes;
using Cib.Detection.Graphs;

namespace Cib.Benchmarks;

/// <summary>Graph kernels: building the CSR graph from an edge list, and Leiden clustering on it.</summary>
[MemoryDiagnoser]
public class GraphBenchmarks
{
    private List<(int U, int V, double Weight)> _edges = [];
    private WeightedGraph _graph = WeightedGraph.FromEdges(1, []);

    [Params(10_000, 100_000)]
    public int Vertices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _edges = KernelInputs.PlantedGraph(Vertices);
        _graph = WeightedGraph.FromEdges(Vertices, _edges);
    }

    [Benchmark]
    public int GraphBuild() => WeightedGraph.FromEdges(Vertices, _edges).Degree(0);

    [Benchmark]
    public int LeidenClustering() => Leiden.FindCommunities(_graph, new LeidenOptions { Seed = 1 }).Count;
}
