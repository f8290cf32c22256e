using System.Diagnostics;

namespace Cib.Detection.Graphs;

/// <summary>
/// One level of the Leiden hierarchy: a CSR graph whose vertices are communities of the level below.
/// Edges inside a vertex become its self-loop weight, kept out of the rows so that rows hold only
/// edges between distinct vertices. Strength counts a self-loop twice, so Σ strength = 2m at every level.
/// </summary>
internal sealed class LeidenLevel
{
    public LeidenLevel(int[] offsets, int[] targets, double[] weights, double[] selfLoops, double[] strength)
    {
        Offsets = offsets;
        Targets = targets;
        Weights = weights;
        SelfLoops = selfLoops;
        Strength = strength;
    }

    public int Count => Strength.Length;

    public int[] Offsets { get; }

    public int[] Targets { get; }

    public double[] Weights { get; }

    public double[] SelfLoops { get; }

    public double[] Strength { get; }

    public static LeidenLevel From(WeightedGraph graph) =>
        new(graph.Offsets, graph.Targets, graph.Weights, new double[graph.VertexCount], graph.StrengthArray);

    /// <summary>
    /// The graph of <paramref name="groups"/> (each vertex's group, 0..groupCount-1): one vertex per
    /// group, edge weights summed between groups, weights inside a group added to its self-loop.
    /// </summary>
    public LeidenLevel Aggregate(int[] groups, int groupCount)
    {
        var n = Count;
        var memberStart = new int[groupCount + 1];
        foreach (var g in groups)
        {
            memberStart[g + 1]++;
        }
        for (var g = 0; g < groupCount; g++)
        {
            memberStart[g + 1] += memberStart[g];
        }
        var members = new int[n];
        var fill = (int[])memberStart.Clone();
        for (var v = 0; v < n; v++)
        {
            members[fill[groups[v]]++] = v;
        }

        var offsets = new int[groupCount + 1];
        var targets = new int[Targets.Length];
        var weights = new double[Targets.Length];
        var selfLoops = new double[groupCount];
        var strength = new double[groupCount];
        var accumulated = new double[groupCount];
        var touched = new int[groupCount];
        var write = 0;
        for (var g = 0; g < groupCount; g++)
        {
            offsets[g] = write;
            var touchedCount = 0;
            var inside = 0.0;
            var self = 0.0;
            var s = 0.0;
            for (var i = memberStart[g]; i < memberStart[g + 1]; i++)
            {
                var v = members[i];
                self += SelfLoops[v];
                s += Strength[v];
                for (var e = Offsets[v]; e < Offsets[v + 1]; e++)
                {
                    var h = groups[Targets[e]];
                    if (h == g)
                    {
                        inside += Weights[e];
                    }
                    else
                    {
                        // Weights are positive, so a zero sum marks a group not yet touched.
                        if (accumulated[h] == 0)
                        {
                            touched[touchedCount++] = h;
                        }
                        accumulated[h] += Weights[e];
                    }
                }
            }
            for (var t = 0; t < touchedCount; t++)
            {
                var h = touched[t];
                targets[write] = h;
                weights[write++] = accumulated[h];
                accumulated[h] = 0;
            }
            // Each edge inside the group was seen from both of its ends.
            selfLoops[g] = self + inside / 2;
            strength[g] = s;
        }
        offsets[groupCount] = write;
        Array.Resize(ref targets, write);
        Array.Resize(ref weights, write);
        Debug.Assert(Math.Abs(strength.Sum() - Strength.Sum()) <= 1e-9 * (1 + Strength.Sum()), "aggregation must conserve 2m");
        return new LeidenLevel(offsets, targets, weights, selfLoops, strength);
    }
}
