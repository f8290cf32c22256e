using Cib.Grains.Interfaces;

namespace Cib.Grains.Reporting;

/// <summary>Builds a <see cref="TransparencyReport"/> from the takedown list, labels, exemptions and networks; pure.</summary>
public static class TransparencyReportBuilder
{
    /// <summary>Entries listed in [from, to) count; an exemption counts when it was in force at any time in the period.</summary>
    public static TransparencyReport Build(IReadOnlyList<TakedownEntry> entries, GovernanceView governance, IReadOnlyList<NetworkSummary> networks, DateTimeOffset from, DateTimeOffset to)
    {
        var inPeriod = entries.Where(e => e.ListedAt >= from && e.ListedAt < to).ToArray();
        var takedowns = inPeriod.Where(e => e.Kind == TakedownKinds.Takedown && !e.Withheld).ToArray();
        var reversals = inPeriod.Where(e => e.Kind == TakedownKinds.Reversal).ToArray();
        var withheld = inPeriod.Where(e => e.Withheld && e.ExemptionId is not null).ToArray();
        var heldBack = inPeriod.Count(e => e.Withheld && e.ExemptionId is null);
        var accounts = takedowns.Select(e => e.Account).Distinct(StringComparer.Ordinal).ToArray();
        static string Source(TakedownEntry e) => e.DecidedBy.StartsWith("model:", StringComparison.Ordinal) ? "automated (model above threshold)" : "reviewer";
        var byId = networks.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var reported = takedowns.GroupBy(e => e.NetworkId).Select(g =>
        {
            var n = byId.GetValueOrDefault(g.Key);
            var members = g.Select(e => e.Account).Distinct(StringComparer.Ordinal).ToArray();
            return new ReportedNetwork(g.Key, n?.Size ?? members.Length, n?.DominantKind ?? "unknown", n?.Score ?? g.Max(e => e.Score), members.Length,
                string.Join(" and ", g.Select(Source).Distinct().Order()), n?.Review ?? ReviewStatus.Unreviewed, n?.RecidivismOf, LabelCounts(members, governance));
        }).OrderByDescending(r => r.AccountsActioned).ThenBy(r => r.Id, StringComparer.Ordinal).ToArray();
        var exemptions = governance.Exemptions.Where(x => x.CreatedAt < to && x.ExpiresAt > from)
            .Select(x => new ExemptionLine(x.Id, x.Account is not null ? $"account {x.Account}" : $"network {x.NetworkId}", x.Reason, x.Requester, x.Approver, x.CreatedAt, x.ExpiresAt,
                withheld.Count(w => w.ExemptionId == x.Id)))
            .OrderBy(x => x.CreatedAt).ToArray();
        return new TransparencyReport(from, to, DateTimeOffset.UtcNow, reported.Length, accounts.Length,
            takedowns.GroupBy(e => e.Action).ToDictionary(g => g.Key, g => g.Select(e => e.Account).Distinct().Count()),
            takedowns.GroupBy(Source).ToDictionary(g => g.Key, g => g.Select(e => e.Account).Distinct().Count()),
            LabelCounts(accounts, governance),
            withheld.Length, exemptions, reversals.Length,
            reversals.Select(r => r.Reason ?? "unspecified").Distinct().Order().ToArray(),
            reported.Count(r => r.RecidivismOf is not null),
            reported)
        {
            HeldBackByMemberLayer = heldBack,
        };
    }

    private static Dictionary<string, int> LabelCounts(IEnumerable<string> accounts, GovernanceView governance) =>
        accounts.SelectMany(a => governance.LabelsOfAccount.GetValueOrDefault(a) ?? []).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
