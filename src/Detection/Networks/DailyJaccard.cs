using Cib.Detection.CoActivity;

namespace Cib.Detection.Networks;

/// <summary>
/// Jaccard similarity of two accounts' actions over the days they co-acted, as SynchroTrap compares
/// users per time bucket (Cao, Yang, Yu and Palow, "Uncovering Large Groups of Active Malicious Accounts
/// in Online Social Networks", CCS 2014): J = s / (Σ_{d ∈ D} (n_A,d + n_B,d) − s), with s the pair's
/// occasions, D the days on which either account acted in one of them, and n_X,d account X's co-activity
/// actions on day d. Over a year of history the plain J = s / (n_A + n_B − s) sinks below any threshold for
/// two prolific accounts that co-acted a hundred times, because their months of separate activity count
/// against them; the daily form counts only the days they met, and still punishes an account that meets
/// everybody, since its many actions on those days stay in the denominator.
/// </summary>
public static class DailyJaccard
{
    /// <summary>J of <paramref name="edge"/>; an account without daily counts (or whose counts do not reach
    /// back to the edge's first day) contributes all its actions, which is the plain Jaccard. 0 when an
    /// account is unknown or the denominator is not positive.</summary>
    public static double Of(EdgeSummary edge, AccountFeatures? a, AccountFeatures? b)
    {
        if (a is null || b is null)
        {
            return edge.Jaccard(a?.CoActivityActions ?? 0, b?.CoActivityActions ?? 0);
        }
        return edge.Jaccard(a.CoActivityActionsOn(edge.ActiveDays), b.CoActivityActionsOn(edge.ActiveDays));
    }

    /// <summary>J of <paramref name="edge"/> with its accounts looked up in <paramref name="accounts"/>.</summary>
    public static double Of(EdgeSummary edge, IReadOnlyDictionary<string, AccountFeatures> accounts) =>
        Of(edge, accounts.GetValueOrDefault(edge.A), accounts.GetValueOrDefault(edge.B));
}
