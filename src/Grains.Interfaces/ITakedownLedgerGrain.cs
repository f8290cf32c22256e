using Cib.Runtime;

namespace Cib.Grains.Interfaces;

/// <summary>The takedown list (key: <see cref="SweepGrainKeys.Default"/>): append-only, read by cursor.</summary>
public interface ITakedownLedgerGrain : IGrainWithStringKey
{
    /// <summary>Appends entries for accounts not yet listed for their network; returns how many were new.</summary>
    Task<int> AppendAsync(TakedownBatch batch);

    /// <summary>Entries with a cursor greater than <paramref name="after"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<TakedownPage> ReadAsync(long after, int limit);
}
