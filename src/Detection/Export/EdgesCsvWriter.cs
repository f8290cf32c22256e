using System.Globalization;
using System.Text;
using Cib.Detection.CoActivity;
using Cib.Detection.Formats;
using Cib.Detection.Networks;

namespace Cib.Detection.Export;

/// <summary>
/// Writes co-activity edges as RFC 4180 CSV with the header
/// <c>a,b,support,weight,jaccard,symmetry,mean_gap_s,kinds,evidence</c>: support s and weight w as
/// <see cref="EdgeSummary"/> defines them, jaccard J = s / (n_a + n_b − s) from the accounts'
/// co-activity actions on the days they met (<see cref="DailyJaccard"/>), symmetry σ = min(a, b) / max(a, b) over
/// each account's distinct actions in the evidence (<see cref="EdgeSummary.Symmetry"/>, CooRTweet's), kinds as <c>co-repost:5 co-link:2</c>,
/// and the evidence samples as <c>kind target time_a time_b; ...</c> with ISO 8601 UTC times.
/// </summary>
public static class EdgesCsvWriter
{
    /// <summary>The header's columns.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["a", "b", "support", "weight", "jaccard", "symmetry", "mean_gap_s", "kinds", "evidence"];

    /// <summary>Writes the header and one record per edge, in the order given.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="edges">The edges.</param>
    /// <param name="accounts">Account features, for the Jaccard similarity (an account not found counts 0 actions).</param>
    public static void Write(TextWriter writer, IEnumerable<EdgeSummary> edges, IReadOnlyDictionary<string, AccountFeatures> accounts)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(accounts);
        CsvField.WriteRecord(writer, [.. Columns]);
        var inv = CultureInfo.InvariantCulture;
        foreach (var e in edges)
        {
            var jaccard = DailyJaccard.Of(e, accounts);
            CsvField.WriteRecord(writer,
                e.A,
                e.B,
                e.Support.ToString(inv),
                e.Weight.ToString("0.####", inv),
                jaccard.ToString("0.####", inv),
                e.Symmetry.ToString("0.####", inv),
                e.MeanGapSeconds.ToString("0.###", inv),
                Kinds(e),
                Evidence(e));
        }
    }

    /// <summary>Occasions per kind, most first: <c>co-repost:5 co-link:2</c>.</summary>
    public static string Kinds(EdgeSummary edge)
    {
        ArgumentNullException.ThrowIfNull(edge);
        var parts = new List<(CoActivityKind Kind, int Count)>();
        for (var k = 0; k < edge.SupportByKind.Count; k++)
        {
            if (edge.SupportByKind[k] > 0)
            {
                parts.Add(((CoActivityKind)k, edge.SupportByKind[k]));
            }
        }
        parts.Sort(static (x, y) => y.Count != x.Count ? y.Count.CompareTo(x.Count) : x.Kind.CompareTo(y.Kind));
        return string.Join(' ', parts.Select(p => $"{p.Kind.ToWire()}:{p.Count.ToString(CultureInfo.InvariantCulture)}"));
    }

    /// <summary>The evidence samples, earliest first: <c>kind target time_a time_b; ...</c>.</summary>
    public static string Evidence(EdgeSummary edge)
    {
        ArgumentNullException.ThrowIfNull(edge);
        var sb = new StringBuilder();
        foreach (var s in edge.Samples.OrderBy(s => s.TimeA < s.TimeB ? s.TimeA : s.TimeB).ThenBy(s => s.TargetKey, StringComparer.Ordinal))
        {
            if (sb.Length > 0)
            {
                sb.Append("; ");
            }
            sb.Append(s.Kind.ToWire()).Append(' ').Append(s.TargetKey).Append(' ')
                .Append(Timestamps.FormatIso(s.TimeA)).Append(' ').Append(Timestamps.FormatIso(s.TimeB));
        }
        return sb.ToString();
    }
}
