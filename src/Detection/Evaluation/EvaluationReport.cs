namespace Cib.Detection.Evaluation;

/// <summary>How well the networks of one run match the ground truth of one data set.</summary>
/// <param name="Dataset">The data set's name.</param>
/// <param name="Signals">Signals analysed.</param>
/// <param name="Accounts">Accounts with metrics: flagged = members of networks scoring at or above the takedown threshold.</param>
/// <param name="AdjustedRand">Adjusted Rand index between the flagged networks and the true groups, over
/// flagged accounts (an organic account is a group of its own); 1 when every network is exactly one
/// group's accounts.</param>
/// <param name="PairPrecision">Of the pairs of flagged accounts that share a network, the share that
/// share a true group (the IRA's "same-category edges"); 1 when there are no such pairs.</param>
/// <param name="Coverage">Share of <see cref="LabelledDataset.Eligible"/> accounts flagged, or null
/// when the data set does not name eligible accounts.</param>
/// <param name="Networks">Networks found (all scores).</param>
/// <param name="FlaggedNetworks">Networks at or above the takedown threshold.</param>
/// <param name="Elapsed">Time to run the pipeline (loading excluded).</param>
public sealed record EvaluationReport(
    string Dataset,
    int Signals,
    AccountMetrics Accounts,
    double AdjustedRand,
    double PairPrecision,
    double? Coverage,
    int Networks,
    int FlaggedNetworks,
    TimeSpan Elapsed)
{
    /// <summary>The window each kind was run with.</summary>
    public IReadOnlyDictionary<CoActivity.CoActivityKind, TimeSpan> Windows { get; init; } = new Dictionary<CoActivity.CoActivityKind, TimeSpan>();

    /// <summary>Whether <see cref="Windows"/> were estimated from the data (CooRnet's rule) rather than configured.</summary>
    public bool WindowsEstimated { get; init; }

    /// <summary>The windows as <c>co-repost 60 s, co-reply 120 s, …</c> (whole days as <c>92 d</c>).</summary>
    public string WindowsText => string.Join(", ", Windows.OrderBy(w => w.Key).Select(w =>
        $"{CoActivity.CoActivityKinds.ToWire(w.Key)} {Duration(w.Value)}"));

    // Seconds up to a day, whole days beyond (92 days reads better than 7948800 s).
    private static string Duration(TimeSpan t) => t >= TimeSpan.FromDays(1) && t.Ticks % TimeSpan.TicksPerDay == 0
        ? $"{t.TotalDays.ToString("0", System.Globalization.CultureInfo.InvariantCulture)} d"
        : $"{t.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s";
}
