using Cib.Detection.Graphs;

namespace Cib.Detection.Networks;

/// <summary>
/// The dense core of a network: the members and targets that FRAUDAR's greedy peeling keeps as the
/// densest block of the network's account × target graph. A campaign whose members also act on
/// honest targets to look ordinary (camouflage) keeps its own targets in the core, while the honest
/// targets, each shared by few members, peel away first.
/// </summary>
/// <param name="Accounts">Core members, ordinal order.</param>
/// <param name="Targets">Core targets (<c>kind:key</c>), ordinal order.</param>
/// <param name="Density">g(S) = f(S) / |S| of the block (see <see cref="Fraudar"/>).</param>
/// <param name="Actions">Account–target incidences inside the block.</param>
public sealed record NetworkCore(IReadOnlyList<string> Accounts, IReadOnlyList<string> Targets, double Density, int Actions)
{
    /// <summary>The densest block of the given (account, target) actions, or null when there are none.</summary>
    public static NetworkCore? Find(IEnumerable<(string Account, string Target)> actions)
    {
        var distinct = actions.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return null;
        }
        var block = Fraudar.FindDenseBlock(BipartiteGraph.FromPairs(distinct));
        return block.EdgeCount == 0 ? null : new NetworkCore(block.Accounts, block.Targets, block.Density, block.EdgeCount);
    }

    /// <summary>The core of a cluster as its sampled evidence shows it: each sample links both accounts to its target.</summary>
    public static NetworkCore? FromEvidence(Cluster cluster) =>
        Find(cluster.Edges.SelectMany(e => e.Edge.Samples.SelectMany(s =>
        {
            var target = new CoActivity.CoActivityTarget(s.Kind, s.TargetKey).ToString();
            return new[] { (e.Edge.A, target), (e.Edge.B, target) };
        })));
}
