using Cib.Detection.CoActivity;
using Cib.Detection.Signals;

namespace Cib.Detection.Evaluation;

/// <summary>
/// The naive rule that issue 3 gives as the bar on Lee 2011: an account is flagged when it shares at least
/// <c>minShared</c> distinct items with some other account, an item being a canonical URL (co-link) or an identical
/// normalised text (co-text), at any time apart: no window, no Jaccard, no clustering. Cib's evaluation prints it beside
/// its own rows so that the bar is measured on the same data and the same item definitions, not quoted.
/// </summary>
public static class SharingRule
{
    /// <summary>Items shared by more accounts than this are left out (a link that half the platform posts says
    /// nothing about any pair), as the co-activity windows keep at most 200 actors; default 200.</summary>
    public const int DefaultMaxAccountsPerItem = 200;

    private static readonly CoActivityOptions Options = new();

    /// <summary>Accounts sharing at least <paramref name="minShared"/> distinct items with one other account, in ordinal order.</summary>
    public static IReadOnlyList<string> Flag(IEnumerable<Signal> signals, int minShared, int maxAccountsPerItem = DefaultMaxAccountsPerItem)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minShared, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAccountsPerItem, 2);
        var accountsOf = new Dictionary<CoActivityTarget, HashSet<string>>();
        var targets = new List<CoActivityTarget>();
        foreach (var signal in signals)
        {
            targets.Clear();
            TargetExtractor.AddTargets(signal, Options, targets);
            foreach (var t in targets)
            {
                if (t.Kind is CoActivityKind.CoLink or CoActivityKind.CoText)
                {
                    if (!accountsOf.TryGetValue(t, out var set))
                    {
                        accountsOf[t] = set = new HashSet<string>(StringComparer.Ordinal);
                    }
                    set.Add(signal.Account);
                }
            }
        }
        var shared = new Dictionary<(string, string), int>();
        foreach (var accounts in accountsOf.Values)
        {
            if (accounts.Count < 2 || accounts.Count > maxAccountsPerItem)
            {
                continue;
            }
            var ordered = accounts.Order(StringComparer.Ordinal).ToArray();
            for (var i = 0; i < ordered.Length; i++)
            {
                for (var j = i + 1; j < ordered.Length; j++)
                {
                    var pair = (ordered[i], ordered[j]);
                    shared[pair] = shared.GetValueOrDefault(pair) + 1;
                }
            }
        }
        var flagged = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var ((a, b), count) in shared)
        {
            if (count >= minShared)
            {
                flagged.Add(a);
                flagged.Add(b);
            }
        }
        return [.. flagged];
    }

    /// <summary>Account precision and recall of <see cref="Flag"/> on a labelled data set.</summary>
    public static AccountMetrics Measure(LabelledDataset data, int minShared) =>
        AccountMetrics.Compute(Flag(data.Signals, minShared), data.GroupOf.Keys, data.Accounts);
}
