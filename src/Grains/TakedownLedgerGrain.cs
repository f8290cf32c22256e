using Cib.Grains.Interfaces;
using Cib.Runtime;

namespace Cib.Grains;

/// <summary>Durable state of the takedown ledger.</summary>
public sealed class TakedownLedgerState
{
    /// <summary>Entries, cursor order.</summary>
    public List<TakedownEntry> Entries { get; set; } = [];

    /// <summary>Last cursor handed out.</summary>
    public long LastCursor { get; set; }
}

/// <summary>
/// The takedown list: append-only, each entry numbered by a monotonic cursor, so an enforcement
/// system that pulls with <c>after=</c> its last cursor sees every entry at least once and in order.
/// An account is listed once per network.
/// </summary>
[GrainType("takedowns")]
public sealed class TakedownLedgerGrain([PersistentState("takedowns", StorageNames.Detection)] IPersistentState<TakedownLedgerState> state) : Grain, ITakedownLedgerGrain
{
    private HashSet<(string, string)>? _listed;

    /// <inheritdoc />
    public async Task<int> AppendAsync(TakedownBatch batch)
    {
        _listed ??= state.State.Entries.Select(e => (e.Account, e.NetworkId)).ToHashSet();
        var added = new List<TakedownEntry>();
        var cursor = state.State.LastCursor;
        foreach (var e in batch.Entries)
        {
            if (_listed.Contains((e.Account, e.NetworkId)))
            {
                continue;
            }
            added.Add(e with { Cursor = ++cursor });
        }
        if (added.Count == 0)
        {
            return 0;
        }
        state.State.Entries.AddRange(added);
        state.State.LastCursor = cursor;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Nothing was acknowledged: forget the unsaved entries so memory matches storage.
            state.State.Entries.RemoveRange(state.State.Entries.Count - added.Count, added.Count);
            state.State.LastCursor -= added.Count;
            throw;
        }
        foreach (var e in added)
        {
            _listed.Add((e.Account, e.NetworkId));
        }
        return added.Count;
    }

    /// <inheritdoc />
    public Task<TakedownPage> ReadAsync(long after, int limit)
    {
        var entries = state.State.Entries;
        // Cursors are 1..LastCursor in list order, so the first entry after `after` is at index `after`.
        var start = (int)Math.Clamp(after, 0, entries.Count);
        var page = entries.Skip(start).Take(Math.Clamp(limit, 1, 10_000)).ToArray();
        return Task.FromResult(new TakedownPage(page, page.Length > 0 ? page[^1].Cursor : Math.Max(after, 0)));
    }
}
