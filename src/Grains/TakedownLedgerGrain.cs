using System.Text.Json;
using Cib.Grains.Audit;
using Cib.Grains.Interfaces;
using Cib.Runtime;

namespace Cib.Grains;

/// <summary>Durable state of the takedown ledger.</summary>
public sealed class TakedownLedgerState
{
    /// <summary>Entries, cursor order (cursor = index + 1).</summary>
    public List<TakedownEntry> Entries { get; set; } = [];
}

/// <summary>
/// The takedown list: append-only, each entry numbered by a monotonic cursor, so an enforcement
/// system that pulls with <c>after=</c> its last cursor sees every entry at least once and in order.
/// Acknowledgements are recorded on the entries they acknowledge; corrections are new entries
/// (reversals), never edits. An account is actioned at most once per network at a time.
/// </summary>
[GrainType("takedowns")]
public sealed class TakedownLedgerGrain([PersistentState("takedowns", StorageNames.Detection)] IPersistentState<TakedownLedgerState> state, AuditLog audit) : Grain, ITakedownLedgerGrain
{
    private Index? _index;

    // The key of entries withheld by the member layer rather than an exemption (exemption ids never take this form).
    private const string HeldBackKey = "(member layer)";

    /// <inheritdoc />
    public async Task<int> AppendAsync(TakedownBatch batch)
    {
        var index = _index ??= Index.Build(state.State.Entries);
        var governance = await GrainFactory.GetGrain<IGovernanceGrain>(SweepGrainKeys.Default).GetAsync();
        var now = DateTimeOffset.UtcNow;
        var added = new List<TakedownEntry>();
        var cursor = (long)state.State.Entries.Count;
        var trial = index.Clone();
        foreach (var e in batch.Entries)
        {
            var pair = (e.Account, e.NetworkId);
            if (e.Kind == TakedownKinds.Reversal)
            {
                if (trial.Active.Remove(pair))
                {
                    trial.Reversed.Add(pair);
                    added.Add(e with { Cursor = ++cursor });
                }
                continue;
            }
            var byModel = e.DecidedBy.StartsWith("model:", StringComparison.Ordinal);
            if (trial.Active.Contains(pair) || (byModel && trial.Reversed.Contains(pair)))
            {
                continue;
            }
            var exemption = governance.Exemptions.FirstOrDefault(x => x.ActiveAt(now) && x.Covers(e.Account, e.NetworkId));
            if (exemption is not null)
            {
                // Withheld entries are listed once per exemption, so auditors see each, without repeats every sweep.
                if (trial.Withheld.Add((e.Account, e.NetworkId, exemption.Id)))
                {
                    added.Add(e with { Cursor = ++cursor, Withheld = true, ExemptionId = exemption.Id });
                }
                continue;
            }
            if (e.Withheld)
            {
                // Held back by the member layer (the sweep says why in the reason): listed once per member and network.
                if (trial.Withheld.Add((e.Account, e.NetworkId, HeldBackKey)))
                {
                    added.Add(e with { Cursor = ++cursor, ExemptionId = null });
                }
                continue;
            }
            trial.Active.Add(pair);
            trial.Reversed.Remove(pair);
            added.Add(e with { Cursor = ++cursor });
        }
        if (added.Count == 0)
        {
            return 0;
        }
        // Audited before stored, as every decision is (see NetworkGrain.DecideAsync).
        foreach (var g in added.GroupBy(a => (a.Kind, a.NetworkId, a.DecidedBy, a.Withheld, HeldBack: a.Withheld && a.ExemptionId is null)))
        {
            var action = g.Key.HeldBack ? "takedown.held-back" : g.Key.Withheld ? "takedown.withheld" : $"{g.Key.Kind}.listed";
            await audit.AppendAsync(g.Key.DecidedBy, action, g.Key.NetworkId,
                JsonSerializer.Serialize(new { accounts = g.Select(x => x.Account).ToArray(), cursors = g.Select(x => x.Cursor).ToArray(), reason = g.First().Reason, exemption = g.First().ExemptionId }));
        }
        state.State.Entries.AddRange(added);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            // Nothing was acknowledged: forget the unsaved entries so memory matches storage, and say so in the log.
            state.State.Entries.RemoveRange(state.State.Entries.Count - added.Count, added.Count);
            await audit.AppendAsync("system", "takedown.listing-failed", "takedowns", JsonSerializer.Serialize(new { cursors = added.Select(x => x.Cursor).ToArray(), error = ex.Message }));
            throw;
        }
        _index = trial;
        return added.Count;
    }

    /// <inheritdoc />
    public Task<TakedownPage> ReadAsync(long after, int limit)
    {
        var entries = state.State.Entries;
        // Cursors are 1..Count in list order, so the first entry after `after` is at index `after`.
        var start = (int)Math.Clamp(after, 0, entries.Count);
        var page = entries.Skip(start).Take(Math.Clamp(limit, 1, 10_000)).ToArray();
        return Task.FromResult(new TakedownPage(page, page.Length > 0 ? page[^1].Cursor : Math.Max(after, 0)));
    }

    /// <inheritdoc />
    public async Task<int> AcknowledgeAsync(AcknowledgeRequest request, string by)
    {
        var entries = state.State.Entries;
        var unknown = request.Cursors.Where(c => c < 1 || c > entries.Count).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"\"cursors\": no takedown entries at {string.Join(", ", unknown.Take(10))}");
        }
        var now = DateTimeOffset.UtcNow;
        var fresh = request.Cursors.Distinct().Where(c => entries[(int)c - 1].Acknowledged is null).ToArray();
        if (fresh.Length == 0)
        {
            return 0;
        }
        await audit.AppendAsync(by, "takedown.acknowledged", "takedowns", JsonSerializer.Serialize(new { cursors = fresh }));
        var changed = new List<long>();
        var before = new Dictionary<int, TakedownEntry>();
        foreach (var c in request.Cursors.Distinct())
        {
            var i = (int)c - 1;
            if (entries[i].Acknowledged is null)
            {
                before[i] = entries[i];
                entries[i] = entries[i] with { Acknowledged = new Acknowledgement(by, now) };
                changed.Add(c);
            }
        }
        if (changed.Count == 0)
        {
            return 0;
        }
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            foreach (var (i, e) in before)
            {
                entries[i] = e;
            }
            await audit.AppendAsync(by, "takedown.acknowledge-failed", "takedowns", JsonSerializer.Serialize(new { cursors = changed, error = ex.Message }));
            throw;
        }
        return changed.Count;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ActionedAsync(string networkId)
    {
        var index = _index ??= Index.Build(state.State.Entries);
        return Task.FromResult<IReadOnlyList<string>>(index.Active.Where(p => p.NetworkId == networkId).Select(p => p.Account).Order(StringComparer.Ordinal).ToArray());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ActionedNetworksAsync()
    {
        var index = _index ??= Index.Build(state.State.Entries);
        return Task.FromResult<IReadOnlyList<string>>(index.Active.Select(p => p.NetworkId).Distinct().Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>Which pairs are actioned, were reversed, or were withheld under which exemption; derived from the entries.</summary>
    private sealed class Index
    {
        public HashSet<(string Account, string NetworkId)> Active { get; private init; } = [];

        public HashSet<(string Account, string NetworkId)> Reversed { get; private init; } = [];

        public HashSet<(string Account, string NetworkId, string ExemptionId)> Withheld { get; private init; } = [];

        public static Index Build(IEnumerable<TakedownEntry> entries)
        {
            var index = new Index();
            foreach (var e in entries)
            {
                var pair = (e.Account, e.NetworkId);
                if (e.Kind == TakedownKinds.Reversal)
                {
                    index.Active.Remove(pair);
                    index.Reversed.Add(pair);
                }
                else if (e.Withheld)
                {
                    index.Withheld.Add((e.Account, e.NetworkId, e.ExemptionId ?? HeldBackKey));
                }
                else
                {
                    index.Active.Add(pair);
                    index.Reversed.Remove(pair);
                }
            }
            return index;
        }

        public Index Clone() => new() { Active = [.. Active], Reversed = [.. Reversed], Withheld = [.. Withheld] };
    }
}
