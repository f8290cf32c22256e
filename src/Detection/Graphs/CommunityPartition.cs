namespace Cib.Detection.Graphs;

/// <summary>A partition of a graph's vertices into communities, as found by <see cref="Leiden"/>.</summary>
public sealed class CommunityPartition
{
    private readonly int[] _labels;

    internal CommunityPartition(int[] labels, int count, double modularity, int iterations)
    {
        _labels = labels;
        Labels = Array.AsReadOnly(labels);
        Count = count;
        Modularity = modularity;
        Iterations = iterations;
    }

    /// <summary>
    /// Community of each vertex, 0..<see cref="Count"/>-1, numbered in order of each community's
    /// smallest vertex (so labels depend only on the partition, not on how it was found).
    /// </summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Number of communities.</summary>
    public int Count { get; }

    /// <summary>Modularity of the partition at the resolution it was found with (see <see cref="Leiden.Modularity"/>).</summary>
    public double Modularity { get; }

    /// <summary>Number of Leiden iterations run, the last of which left the partition unchanged unless the limit was reached.</summary>
    public int Iterations { get; }

    /// <summary>Copy of <see cref="Labels"/> as an array.</summary>
    public int[] ToArray() => (int[])_labels.Clone();
}
