using System.Globalization;
using System.Text;
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
        var withheld = inPeriod.Where(e => e.Withheld).ToArray();
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
            reported);
    }

    private static Dictionary<string, int> LabelCounts(IEnumerable<string> accounts, GovernanceView governance) =>
        accounts.SelectMany(a => governance.LabelsOfAccount.GetValueOrDefault(a) ?? []).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>The report as Markdown for publication.</summary>
    public static string ToMarkdown(TransparencyReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"# Coordinated inauthentic behaviour report, {r.From:yyyy-MM-dd} to {r.To:yyyy-MM-dd}");
        sb.AppendLine();
        sb.AppendLine(inv, $"In this period we took action on **{r.NetworksActioned} networks** and **{r.AccountsActioned} accounts** for coordinated inauthentic behaviour.");
        sb.AppendLine();
        sb.AppendLine("| measure | count |");
        sb.AppendLine("|---|---|");
        foreach (var (action, n) in r.AccountsByAction.OrderBy(kv => kv.Key))
        {
            sb.AppendLine(inv, $"| accounts actioned: {action} | {n} |");
        }
        foreach (var (source, n) in r.AccountsByDetectionSource.OrderBy(kv => kv.Key))
        {
            sb.AppendLine(inv, $"| detected and decided by: {source} | {n} |");
        }
        foreach (var (label, n) in r.ActionedAccountsByLabel.OrderBy(kv => kv.Key))
        {
            sb.AppendLine(inv, $"| actioned accounts labelled {label} | {n} |");
        }
        sb.AppendLine(inv, $"| enforcement withheld under an exemption | {r.WithheldEntries} |");
        sb.AppendLine(inv, $"| reversals (appeals upheld, reinstatements, dismissals) | {r.Reversals} |");
        sb.AppendLine(inv, $"| networks that returned after action (recidivism) | {r.RecidivistNetworks} |");
        sb.AppendLine();
        sb.AppendLine("## Networks");
        sb.AppendLine();
        sb.AppendLine("| network | size | accounts actioned | main behaviour | score | decided by | review | returned from |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var n in r.Networks)
        {
            sb.AppendLine(inv, $"| {n.Id} | {n.Size} | {n.AccountsActioned} | {n.DominantKind} | {n.Score:F3} | {n.DetectionSource} | {n.Review} | {n.RecidivismOf ?? "-"} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Exemptions in force");
        sb.AppendLine();
        if (r.Exemptions.Count == 0)
        {
            sb.AppendLine("None.");
        }
        else
        {
            sb.AppendLine("| exemption | subject | reason | requested by | approved by | from | until | entries withheld |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var x in r.Exemptions)
            {
                sb.AppendLine(inv, $"| {x.Id} | {x.Subject} | {x.Reason} | {x.Requester} | {x.Approver} | {x.CreatedAt:yyyy-MM-dd} | {x.ExpiresAt:yyyy-MM-dd} | {x.EntriesWithheld} |");
            }
        }
        if (r.ReversalReasons.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Reasons for reversals");
            sb.AppendLine();
            foreach (var reason in r.ReversalReasons)
            {
                sb.AppendLine(inv, $"- {reason}");
            }
        }
        return sb.ToString();
    }
}
