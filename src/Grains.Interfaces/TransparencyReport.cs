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
    IReadOnlyList<ReportedNetwork> Networks);

/// <summary>A network in a transparency report.</summary>
public sealed record ReportedNetwork(string Id, int Size, string DominantKind, double Score, int AccountsActioned, string DetectionSource, string Review, string? RecidivismOf, IReadOnlyDictionary<string, int> Labels);

/// <summary>An exemption that applied during the period.</summary>
public sealed record ExemptionLine(string Id, string Subject, string Reason, string Requester, string Approver, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, int EntriesWithheld);
