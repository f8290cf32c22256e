namespace Cib.Detection.Graphs;

/// <summary>A dense block of accounts and targets found by <see cref="Fraudar"/>.</summary>
public sealed class DenseBlock
{
    internal DenseBlock(BipartiteGraph graph, int[] accountIds, int[] targetIds, double suspiciousness, int edgeCount)
    {
        AccountIds = Array.AsReadOnly(accountIds);
        TargetIds = Array.AsReadOnly(targetIds);
        Accounts = Array.AsReadOnly(Array.ConvertAll(accountIds, a => graph.AccountNames[a]));
        Targets = Array.AsReadOnly(Array.ConvertAll(targetIds, t => graph.TargetNames[t]));
        Suspiciousness = suspiciousness;
        EdgeCount = edgeCount;
    }

    /// <summary>Ids of the accounts in the block, ascending.</summary>
    public IReadOnlyList<int> AccountIds { get; }

    /// <summary>Ids of the targets in the block, ascending.</summary>
    public IReadOnlyList<int> TargetIds { get; }

    /// <summary>Names of the accounts in the block, in ordinal order.</summary>
    public IReadOnlyList<string> Accounts { get; }

    /// <summary>Names of the targets in the block, in ordinal order.</summary>
    public IReadOnlyList<string> Targets { get; }

    /// <summary>
    /// f(S): the summed weight of the block's edges, each weighted 1/ln(d_t + c) with d_t its target's
    /// degree in the graph the block was peeled from (see <see cref="FraudarOptions"/>).
    /// </summary>
    public double Suspiciousness { get; }

    /// <summary>Number of edges inside the block.</summary>
    public int EdgeCount { get; }

    /// <summary>Density g(S) = f(S) / |S|, where |S| counts accounts plus targets; 0 for an empty block.</summary>
    public double Density => Accounts.Count + Targets.Count == 0 ? 0 : Suspiciousness / (Accounts.Count + Targets.Count);
}
