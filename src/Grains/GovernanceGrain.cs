using System.Security.Cryptography;
using System.Text.Json;
using Cib.Grains.Audit;
using Cib.Grains.Interfaces;
using Cib.Runtime;

namespace Cib.Grains;

/// <summary>Durable state of labels and exemptions.</summary>
public sealed class GovernanceState
{
    /// <summary>Account → labels.</summary>
    public Dictionary<string, List<string>> Labels { get; set; } = [];

    /// <summary>Every exemption ever recorded; expired ones stay, for reports.</summary>
    public List<Exemption> Exemptions { get; set; } = [];
}

/// <summary>
/// Labels and exemptions. No account is exempt in secret: an exemption is a record with a reason, a
/// requester, an approver and an expiry, written to the audit log and counted in reports; it
/// withholds enforcement but never hides the account from investigators.
/// </summary>
[GrainType("governance")]
public sealed class GovernanceGrain([PersistentState("governance", StorageNames.Detection)] IPersistentState<GovernanceState> state, AuditLog audit) : Grain, IGovernanceGrain
{
    /// <summary>Longest exemption allowed: a year; a renewal is a new, audited decision.</summary>
    public static readonly TimeSpan MaxExemption = TimeSpan.FromDays(366);

    /// <inheritdoc />
    public async Task<AccountMarks> SetLabelsAsync(string account, LabelRequest request, string by)
    {
        var unknown = (request.Labels ?? []).Where(l => !AccountLabels.All.Contains(l, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"\"labels\" must be among {string.Join(", ", AccountLabels.All)} (got {string.Join(", ", unknown)})");
        }
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new ArgumentException("\"reason\" is required: say why the account carries these labels");
        }
        var labels = (request.Labels ?? []).Distinct().Order(StringComparer.Ordinal).ToList();
        var before = state.State.Labels.GetValueOrDefault(account);
        // Audited first: a change that cannot be audited is not made (see NetworkGrain.DecideAsync).
        await audit.AppendAsync(by, "labels.set", account, JsonSerializer.Serialize(new { labels, previous = before ?? [], request.Reason }));
        if (labels.Count == 0)
        {
            state.State.Labels.Remove(account);
        }
        else
        {
            state.State.Labels[account] = labels;
        }
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            if (before is null)
            {
                state.State.Labels.Remove(account);
            }
            else
            {
                state.State.Labels[account] = before;
            }
            await audit.AppendAsync(by, "labels.set-failed", account, JsonSerializer.Serialize(new { error = ex.Message }));
            throw;
        }
        return new AccountMarks(account, labels, state.State.Exemptions.Where(e => e.Account == account).ToArray());
    }

    /// <inheritdoc />
    public async Task<Exemption> AddExemptionAsync(ExemptionRequest request, string approver)
    {
        if ((request.Account is null) == (request.NetworkId is null))
        {
            throw new ArgumentException("give exactly one of \"account\" and \"networkId\"");
        }
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new ArgumentException("\"reason\" is required: an exemption without a reason is a secret list");
        }
        if (string.IsNullOrWhiteSpace(request.Requester))
        {
            throw new ArgumentException("\"requester\" is required: who asked for the exemption");
        }
        var now = DateTimeOffset.UtcNow;
        if (request.ExpiresAt <= now || request.ExpiresAt > now + MaxExemption)
        {
            throw new ArgumentException($"\"expiresAt\" must be in the future and at most {MaxExemption.TotalDays:F0} days away (got {request.ExpiresAt:O})");
        }
        var exemption = new Exemption("ex-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)), request.Account, request.NetworkId, request.Reason, request.Requester, approver, now, request.ExpiresAt);
        await audit.AppendAsync(approver, "exemption.created", request.Account ?? request.NetworkId!, JsonSerializer.Serialize(exemption));
        state.State.Exemptions.Add(exemption);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            state.State.Exemptions.Remove(exemption);
            await audit.AppendAsync(approver, "exemption.create-failed", exemption.Id, JsonSerializer.Serialize(new { error = ex.Message }));
            throw;
        }
        return exemption;
    }

    /// <inheritdoc />
    public Task<GovernanceView> GetAsync() => Task.FromResult(new GovernanceView(
        state.State.Labels.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value.ToArray(), StringComparer.Ordinal),
        state.State.Exemptions.ToArray()));
}
