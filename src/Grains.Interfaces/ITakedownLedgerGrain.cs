using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>The takedown list (key: <see cref="SweepGrainKeys.Default"/>): append-only, read by cursor.</summary>
public interface ITakedownLedgerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Appends entries: a takedown for an account already actioned in that network is skipped, and so
    /// is a model's takedown of a pair that was ever reversed; a reversal applies only to an actioned
    /// pair. Exempted accounts get withheld entries. Returns how many entries were added.
    /// </summary>
    Task<int> AppendAsync(TakedownBatch batch);

    /// <summary>Entries with a cursor greater than <paramref name="after"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<TakedownPage> ReadAsync(long after, int limit);

    /// <summary>Records an enforcement system's acknowledgement; unknown cursors are an error naming them.</summary>
    Task<int> AcknowledgeAsync(AcknowledgeRequest request, string by);

    /// <summary>Accounts currently actioned (not reversed, not withheld) in <paramref name="networkId"/>.</summary>
    Task<IReadOnlyList<string>> ActionedAsync(string networkId);

    /// <summary>Networks with at least one actioned account.</summary>
    Task<IReadOnlyList<string>> ActionedNetworksAsync();
}
