using System.Text.Json;
using Cib.Grains.Audit;
using Cib.Grains.Interfaces;
using Cib.Runtime;

namespace Cib.Grains;

/// <summary>Durable state of a network.</summary>
public sealed class NetworkState
{
    /// <summary>The latest snapshot.</summary>
    public NetworkSnapshot? Snapshot { get; set; }
}

/// <summary>One network, stable across sweeps; what the latest sweep found and what reviewers decided are stored durably.</summary>
[GrainType("network")]
public sealed class NetworkGrain([PersistentState("network", StorageNames.Detection)] IPersistentState<NetworkState> state, AuditLog audit) : Grain, INetworkGrain
{
    /// <inheritdoc />
    public async Task<NetworkSummary> UpdateAsync(NetworkSnapshot snapshot)
    {
        if (state.State.Snapshot is { } old)
        {
            snapshot = snapshot with
            {
                Summary = snapshot.Summary with { Review = old.Summary.Review, RecidivismOf = snapshot.Summary.RecidivismOf ?? old.Summary.RecidivismOf },
                Decisions = old.Decisions,
            };
        }
        state.State.Snapshot = snapshot;
        await state.WriteStateAsync();
        return snapshot.Summary;
    }

    /// <inheritdoc />
    public async Task MarkDormantAsync(DateTimeOffset at)
    {
        if (state.State.Snapshot is { } s && s.Summary.Status != NetworkStatus.Dormant)
        {
            state.State.Snapshot = s with { Summary = s.Summary with { Status = NetworkStatus.Dormant, UpdatedAt = at } };
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public Task<NetworkSnapshot?> GetAsync() => Task.FromResult(state.State.Snapshot);

    /// <inheritdoc />
    public async Task<NetworkSnapshot> DecideAsync(ReviewRequest request, string reviewer)
    {
        var snapshot = state.State.Snapshot ?? throw new KeyNotFoundException($"no network has id \"{this.GetPrimaryKeyString()}\"");
        var (status, auditAction) = request.Decision switch
        {
            "confirm" => (ReviewStatus.Confirmed, "network.confirmed"),
            "dismiss" => (ReviewStatus.Dismissed, "network.dismissed"),
            "escalate" => (ReviewStatus.Escalated, "network.escalated"),
            _ => throw new ArgumentException($"\"decision\" must be confirm, dismiss or escalate (got \"{request.Decision}\")"),
        };
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new ArgumentException("\"reason\" is required: every decision is explained");
        }
        var action = request.Action ?? TakedownActions.Remove;
        if (!TakedownActions.Chosen.Contains(action, StringComparer.Ordinal))
        {
            throw new ArgumentException($"\"action\" must be one of {string.Join(", ", TakedownActions.Chosen)} (got \"{action}\")");
        }
        var decision = new ReviewDecision(DateTimeOffset.UtcNow, reviewer, request.Decision, request.Reason, action,
            (request.Include ?? []).Distinct().ToArray(), (request.Exclude ?? []).Distinct().ToArray(), request.Note);
        // The audit entry goes first: a decision that cannot be audited is not made. Should storing
        // it then fail, a second entry says so, so the log never shows a decision that did not stick
        // without saying that it did not.
        await audit.AppendAsync(reviewer, auditAction, snapshot.Summary.Id, JsonSerializer.Serialize(decision));
        var previous = snapshot;
        state.State.Snapshot = snapshot with
        {
            Summary = snapshot.Summary with { Review = status },
            Decisions = [.. snapshot.Decisions ?? [], decision],
        };
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            state.State.Snapshot = previous;
            await audit.AppendAsync(reviewer, "network.decision-failed", snapshot.Summary.Id, JsonSerializer.Serialize(new { decision = request.Decision, error = ex.Message }));
            throw;
        }
        await GrainFactory.GetGrain<INetworkDirectoryGrain>(SweepGrainKeys.Default).UpdateSummaryAsync(state.State.Snapshot.Summary);

        var ledger = GrainFactory.GetGrain<ITakedownLedgerGrain>(SweepGrainKeys.Default);
        var id = snapshot.Summary.Id;
        var summary = EvidenceSummary(snapshot);
        var entries = new List<TakedownEntry>();
        var actioned = await ledger.ActionedAsync(id);
        TakedownEntry Entry(string kind, string account, string act) =>
            new(0, kind, account, id, act, snapshot.Summary.Score, snapshot.Summary.ModelVersion, reviewer, summary, decision.At, request.Reason);
        if (request.Decision == "confirm")
        {
            foreach (var account in snapshot.Members.Concat(decision.Include).Except(decision.Exclude).Distinct().Order(StringComparer.Ordinal))
            {
                entries.Add(Entry(TakedownKinds.Takedown, account, action));
            }
            entries.AddRange(actioned.Intersect(decision.Exclude).Select(a => Entry(TakedownKinds.Reversal, a, TakedownActions.Reinstate)));
        }
        else if (request.Decision == "dismiss")
        {
            entries.AddRange(actioned.Select(a => Entry(TakedownKinds.Reversal, a, TakedownActions.Reinstate)));
        }
        if (entries.Count > 0)
        {
            await ledger.AppendAsync(new TakedownBatch(entries));
        }
        return state.State.Snapshot;
    }

    /// <summary>One line on why a network's accounts are listed.</summary>
    public static string EvidenceSummary(NetworkSnapshot n) =>
        $"{n.Summary.Size} accounts, {n.EdgeCount} edges, mostly {n.Summary.DominantKind}, score {n.Summary.Score:F3}; top edge support {(n.TopEdges.Count > 0 ? n.TopEdges[0].Support : 0)}";
}
