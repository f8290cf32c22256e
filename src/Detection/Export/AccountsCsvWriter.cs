using System.Globalization;
using Cib.Detection.Formats;
using Cib.Detection.Networks;

namespace Cib.Detection.Export;

/// <summary>
/// Writes account features as RFC 4180 CSV with the header
/// <c>account,network,actions,coactivity_actions,burstiness,created_at,handle</c>; network is the id
/// of the account's network or empty, burstiness is B of <see cref="AccountFeatures.Burstiness"/>,
/// created_at is ISO 8601 UTC or empty when unknown.
/// </summary>
public static class AccountsCsvWriter
{
    /// <summary>The header's columns.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["account", "network", "actions", "coactivity_actions", "burstiness", "created_at", "handle"];

    /// <summary>Writes the header and one record per account, in ordinal order of account id.</summary>
    public static void Write(TextWriter writer, IEnumerable<AccountFeatures> accounts, IReadOnlyDictionary<string, string> networkOfAccount)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(networkOfAccount);
        CsvField.WriteRecord(writer, [.. Columns]);
        var inv = CultureInfo.InvariantCulture;
        foreach (var a in accounts.OrderBy(a => a.Account, StringComparer.Ordinal))
        {
            CsvField.WriteRecord(writer,
                a.Account,
                networkOfAccount.GetValueOrDefault(a.Account),
                a.Actions.ToString(inv),
                a.CoActivityActions.ToString(inv),
                a.Burstiness.ToString("0.####", inv),
                a.CreatedAt is { } c ? Timestamps.FormatIso(c) : null,
                a.Handle);
        }
    }
}
