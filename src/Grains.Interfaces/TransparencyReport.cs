using System.Globalization;
using System.Text;

namespace Cib.Grains.Interfaces;

/// <summary>
/// A transparency report for a period, shaped like platforms' coordinated inauthentic behaviour
/// reports: what was taken down, how it was found, who was involved, what was withheld and why,
/// what was reversed, and which networks came back.
/// </summary>
public sealed record TransparencyReport(
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset GeneratedAt,
    int NetworksActioned,
    int AccountsActioned,
    IReadOnlyDictionary<string, int> AccountsByAction,
    IReadOnlyDictionary<string, int> AccountsByDetectionSource,
    IReadOnlyDictionary<string, int> ActionedAccountsByLabel,
    int WithheldEntries,
    IReadOnlyList<ExemptionLine> Exemptions,
    int Reversals,
    IReadOnlyList<string> ReversalReasons,
    int RecidivistNetworks,
    IReadOnlyList<ReportedNetwork> Networks)
{
    /// <summary>Members of networks above the takedown threshold that the member layer held back from the model's listing
    /// and left to reviewers (withheld entries without an exemption); <see cref="WithheldEntries"/> counts exemptions only.</summary>
    public int HeldBackByMemberLayer { get; init; }
}

/// <summary>A network in a transparency report.</summary>
public sealed record ReportedNetwork(string Id, int Size, string DominantKind, double Score, int AccountsActioned, string DetectionSource, string Review, string? RecidivismOf, IReadOnlyDictionary<string, int> Labels);

/// <summary>An exemption that applied during the period.</summary>
public sealed record ExemptionLine(string Id, string Subject, string Reason, string Requester, string Approver, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, int EntriesWithheld);

/// <summary>Renders a <see cref="TransparencyReport"/> as Markdown for publication.</summary>
public static class TransparencyMarkdown
{
    /// <summary>The report as Markdown for publication.</summary>
    public static string Render(TransparencyReport r)
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
        sb.AppendLine(inv, $"| members held back by the member layer, left to reviewers | {r.HeldBackByMemberLayer} |");
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
