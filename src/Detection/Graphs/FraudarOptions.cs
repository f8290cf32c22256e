namespace Cib.Detection.Graphs;

/// <summary>Settings of <see cref="Fraudar"/>; the defaults follow Hooi et al. (KDD 2016).</summary>
public sealed record FraudarOptions
{
    /// <summary>
    /// The constant c of the column weighting 1/ln(d_t + c), where d_t is the number of accounts on
    /// target t (default 5, as in the paper). Must be finite and &gt; 1, so every weight is positive.
    /// </summary>
    public double ColumnWeightOffset { get; init; } = 5.0;

    /// <summary>
    /// Whether edges are weighted by their target's degree (default true). The weighting is what
    /// resists camouflage: edges to popular targets, which honest accounts also hit, count for
    /// little. False weighs every edge 1, which gives plain average-degree peeling.
    /// </summary>
    public bool WeightByTargetDegree { get; init; } = true;

    internal void Validate()
    {
        if (!double.IsFinite(ColumnWeightOffset) || ColumnWeightOffset <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ColumnWeightOffset), ColumnWeightOffset, "ColumnWeightOffset must be finite and > 1; use 5 as in the Fraudar paper");
        }
    }
}
