namespace Cib.Detection.Graphs;

/// <summary>
/// An unweighted bipartite graph of accounts × targets (for Fraudar, the paper's users × products),
/// with adjacency in CSR form from both sides. Accounts and targets are numbered separately, each in
/// ordinal order of their names; a pair seen several times is one edge.
/// </summary>
/// <remarks>Immutable once built; safe to share between threads.</remarks>
public sealed class BipartiteGraph
{
    private readonly string[] _accountNames;
    private readonly string[] _targetNames;

    private BipartiteGraph(string[] accountNames, string[] targetNames, int[] accountOffsets, int[] accountTargets)
    {
        _accountNames = accountNames;
        _targetNames = targetNames;
        AccountOffsets = accountOffsets;
        AccountTargets = accountTargets;

        // Target side: the account-side edge index of each (target, account) entry, so both sides
        // can share one per-edge state array.
        var targetCount = targetNames.Length;
        TargetOffsets = new int[targetCount + 1];
        foreach (var t in accountTargets)
        {
            TargetOffsets[t + 1]++;
        }
        for (var t = 0; t < targetCount; t++)
        {
            TargetOffsets[t + 1] += TargetOffsets[t];
        }
        var fill = (int[])TargetOffsets.Clone();
        TargetEdges = new int[accountTargets.Length];
        TargetAccounts = new int[accountTargets.Length];
        for (var a = 0; a < accountNames.Length; a++)
        {
            for (var e = accountOffsets[a]; e < accountOffsets[a + 1]; e++)
            {
                var slot = fill[accountTargets[e]]++;
                TargetEdges[slot] = e;
                TargetAccounts[slot] = a;
            }
        }
    }

    /// <summary>Number of accounts; account ids are 0..AccountCount-1.</summary>
    public int AccountCount => _accountNames.Length;

    /// <summary>Number of targets; target ids are 0..TargetCount-1.</summary>
    public int TargetCount => _targetNames.Length;

    /// <summary>Number of distinct (account, target) edges.</summary>
    public int EdgeCount => AccountTargets.Length;

    /// <summary>Account names by id, in ordinal order.</summary>
    public IReadOnlyList<string> AccountNames => _accountNames;

    /// <summary>Target names by id, in ordinal order.</summary>
    public IReadOnlyList<string> TargetNames => _targetNames;

    internal int[] AccountOffsets { get; }

    internal int[] AccountTargets { get; }

    internal int[] TargetOffsets { get; }

    internal int[] TargetAccounts { get; }

    /// <summary>For each target-side entry, the index of the same edge on the account side.</summary>
    internal int[] TargetEdges { get; }

    /// <summary>Targets of <paramref name="account"/>, ascending.</summary>
    public ReadOnlySpan<int> TargetsOf(int account) =>
        AccountTargets.AsSpan(AccountOffsets[account], AccountOffsets[account + 1] - AccountOffsets[account]);

    /// <summary>Accounts of <paramref name="target"/>, ascending.</summary>
    public ReadOnlySpan<int> AccountsOf(int target) =>
        TargetAccounts.AsSpan(TargetOffsets[target], TargetOffsets[target + 1] - TargetOffsets[target]);

    /// <summary>
    /// Builds the graph from (account, target) pairs, such as "account shared URL". Account and target
    /// names live in separate namespaces: an account and a target may have the same name.
    /// </summary>
    /// <exception cref="ArgumentException">A name is null.</exception>
    public static BipartiteGraph FromPairs(IEnumerable<(string Account, string Target)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var list = pairs as IReadOnlyCollection<(string Account, string Target)> ?? pairs.ToList();
        var accounts = new HashSet<string>(StringComparer.Ordinal);
        var targets = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var (account, target) in list)
        {
            if (account is null || target is null)
            {
                throw new ArgumentException($"pair {index}: the account or the target is null; drop the pair or name both", nameof(pairs));
            }
            accounts.Add(account);
            targets.Add(target);
            index++;
        }
        var accountNames = Sorted(accounts);
        var targetNames = Sorted(targets);
        var accountId = IdsOf(accountNames);
        var targetId = IdsOf(targetNames);

        var offsets = new int[accountNames.Length + 1];
        foreach (var (account, _) in list)
        {
            offsets[accountId[account] + 1]++;
        }
        for (var a = 0; a < accountNames.Length; a++)
        {
            offsets[a + 1] += offsets[a];
        }
        var fill = (int[])offsets.Clone();
        var entries = new int[offsets[^1]];
        foreach (var (account, target) in list)
        {
            entries[fill[accountId[account]]++] = targetId[target];
        }

        // Sort each row and drop repeated pairs, compacting rows towards the front.
        var write = 0;
        for (var a = 0; a < accountNames.Length; a++)
        {
            int from = offsets[a], to = offsets[a + 1];
            Array.Sort(entries, from, to - from);
            offsets[a] = write;
            for (var e = from; e < to; e++)
            {
                if (write == offsets[a] || entries[write - 1] != entries[e])
                {
                    entries[write++] = entries[e];
                }
            }
        }
        offsets[accountNames.Length] = write;
        Array.Resize(ref entries, write);
        return new BipartiteGraph(accountNames, targetNames, offsets, entries);
    }

    private static string[] Sorted(HashSet<string> names)
    {
        string[] sorted = [.. names];
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }

    private static Dictionary<string, int> IdsOf(string[] names)
    {
        var ids = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            ids[names[i]] = i;
        }
        return ids;
    }
}
