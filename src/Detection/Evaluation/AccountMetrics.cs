namespace Cib.Detection.Evaluation;

/// <summary>Account-level detection quality.</summary>
/// <param name="TruePositives">Flagged accounts that are inauthentic.</param>
/// <param name="FalsePositives">Flagged accounts that are organic.</param>
/// <param name="FalseNegatives">Inauthentic accounts not flagged.</param>
/// <param name="OrganicAccounts">Organic accounts in the data.</param>
public sealed record AccountMetrics(int TruePositives, int FalsePositives, int FalseNegatives, int OrganicAccounts)
{
    /// <summary>TP / (TP + FP); 1 when nothing was flagged.</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : TruePositives / (double)(TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN); 1 when there was nothing to find.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : TruePositives / (double)(TruePositives + FalseNegatives);

    /// <summary>Harmonic mean of precision and recall; 0 when both are 0.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>FP / organic accounts; 0 when there are none.</summary>
    public double FalsePositiveRate => OrganicAccounts == 0 ? 0 : FalsePositives / (double)OrganicAccounts;

    /// <summary>Compares flagged accounts with the truth.</summary>
    public static AccountMetrics Compute(IEnumerable<string> flagged, IEnumerable<string> inauthentic, IEnumerable<string> allAccounts)
    {
        var flaggedSet = flagged.ToHashSet(StringComparer.Ordinal);
        var truth = inauthentic.ToHashSet(StringComparer.Ordinal);
        var organic = allAccounts.Count(a => !truth.Contains(a));
        var tp = flaggedSet.Count(truth.Contains);
        return new AccountMetrics(tp, flaggedSet.Count - tp, truth.Count - tp, organic);
    }
}
