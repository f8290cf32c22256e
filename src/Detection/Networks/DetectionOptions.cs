namespace Cib.Detection.Networks;

/// <summary>When co-active pairs become edges, edges become networks, and networks go on the takedown list.</summary>
public sealed record DetectionOptions
{
    /// <summary>An edge needs at least this many distinct occasions of co-activity (default 4): one
    /// viral post, or a couple of coincidences, is not coordination.</summary>
    public int MinSupport { get; init; } = 4;

    /// <summary>An edge needs at least this Jaccard similarity of the two accounts' action sets
    /// (default 0.05), so that a hyperactive account that meets everyone now and then links to nobody.</summary>
    public double MinJaccard { get; init; } = 0.05;

    /// <summary>An edge that fails <see cref="MinJaccard"/> over the two accounts' whole histories passes
    /// when its Jaccard over the days they met (<see cref="DailyJaccard"/>) reaches this (default 0.1).
    /// Months of separate activity then do not hide two accounts that co-act on the days they are active,
    /// while organic neighbours who met on a few of a week's days (daily J 0.05 to 0.08 on the simulated
    /// slow-burn week) stay apart.</summary>
    public double MinDailyJaccard { get; init; } = 0.1;

    /// <summary>An edge with at least this many occasions passes with the lower daily Jaccard bar
    /// <see cref="MinJaccardAtHighSupport"/> (default 10): ten distinct occasions, each inside one short
    /// window, are not chance meetings, even between two prolific accounts that also do much else on those
    /// days. On the simulated day no organic pair reaches it on more than one edge.</summary>
    public int MinSupportWithoutJaccard { get; init; } = 10;

    /// <summary>Even with <see cref="MinSupportWithoutJaccard"/> occasions, an edge needs at least this
    /// daily Jaccard similarity (<see cref="DailyJaccard"/>, default 0.005): two hyperactive accounts with thousands of actions each
    /// meet a dozen times a week by chance alone (J ≈ 0.002 on the simulated slow-burn week), while
    /// members of an operation that also post their own content keep J above 0.005.</summary>
    public double MinJaccardAtHighSupport { get; init; } = 0.005;

    /// <summary>Least mean occasion weight w/s of an edge (default 0: off). An occasion weighs
    /// 1 / log2(1 + c), c being the crowd in its window (<see cref="CoActivity.EdgeSummary.Weight"/>), so
    /// w/s is 1 when every occasion was the pair alone, 0.30 when the typical one had 9 accounts in the
    /// window and 0.10 in crowds of a thousand. Set it where windows are wide (coarse timestamps): a
    /// 10-minute repost window puts quiet organic accounts into the same viral crowds often enough for
    /// their Jaccard to pass, and this keeps those meetings from making edges. It is off by default
    /// because a large operation is itself a crowd: every member of a 50-account network that reposts
    /// together co-acts in crowds of 50 (w/s 0.18), and on the simulator the filter at 0.3 loses up to
    /// two thirds of the planted accounts.</summary>
    public double MinMeanOccasionWeight { get; init; }

    /// <summary>Whether connected components are split into Leiden communities (modularity, resolution
    /// 1, edge weights √J as <see cref="NetworkDetector.CommunityWeight"/> gives them) before they become networks (default true): a component held together by a few
    /// edges between two dense groups is two networks.</summary>
    public bool SplitCommunities { get; init; } = true;

    /// <summary>An account outside every cluster joins the cluster it has the most weak edges to (edges
    /// of at least <see cref="ReferenceMinSupport"/> occasions) when those edges reach at least this share
    /// of the cluster's members (default 0.5) and at least <see cref="AttachMinLinks"/> members. A member
    /// who takes part in half of a campaign's actions meets each other member on a quarter of them, too
    /// few for an edge of its own, yet meets most of them twice or more; an organic account meets half
    /// of a campaign twice only if it follows the campaign's own obscure targets. 0 turns attachment off.</summary>
    public double AttachMinShare { get; init; } = 0.5;

    /// <summary>Fewest cluster members an attached account must have weak edges to (default 5), so that a small cluster does not grow by chance meetings.</summary>
    public int AttachMinLinks { get; init; } = 5;

    /// <summary>Resolution γ of the Leiden split (default 1, plain modularity): communities maximise
    /// Σ_c (w_in(c) − γ · W_c² / 2W); a larger γ splits more finely.</summary>
    public double LeidenResolution { get; init; } = 1.0;

    /// <summary>Smallest network reported (default 3 accounts).</summary>
    public int MinNetworkSize { get; init; } = 3;

    /// <summary>Pairs with at least this support form the reference population the anomaly model is
    /// fitted on (default 2): mostly organic groups that co-act now and then.</summary>
    public int ReferenceMinSupport { get; init; } = 2;

    /// <summary>Rank of the randomized-PCA model (default 3).</summary>
    public int PcaRank { get; init; } = 3;

    /// <summary>Networks scoring at or above this (default 0.8) go on the takedown list.</summary>
    public double TakedownThreshold { get; init; } = 0.8;

    /// <summary>Seed for every random choice of the model (default 17).</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public DetectionOptions Validate()
    {
        if (MinSupport < 1)
        {
            throw new ArgumentException($"{nameof(MinSupport)} must be at least 1 (got {MinSupport})", nameof(MinSupport));
        }
        if (MinJaccard is < 0 or > 1)
        {
            throw new ArgumentException($"{nameof(MinJaccard)} must be in [0, 1] (got {MinJaccard})", nameof(MinJaccard));
        }
        if (MinMeanOccasionWeight is < 0 or > 1 || double.IsNaN(MinMeanOccasionWeight))
        {
            throw new ArgumentException($"{nameof(MinMeanOccasionWeight)} must be in [0, 1] (got {MinMeanOccasionWeight})", nameof(MinMeanOccasionWeight));
        }
        if (MinDailyJaccard is < 0 or > 1)
        {
            throw new ArgumentException($"{nameof(MinDailyJaccard)} must be in [0, 1] (got {MinDailyJaccard})", nameof(MinDailyJaccard));
        }
        if (MinSupportWithoutJaccard < MinSupport)
        {
            throw new ArgumentException($"{nameof(MinSupportWithoutJaccard)} must be at least {nameof(MinSupport)} ({MinSupport}) (got {MinSupportWithoutJaccard})", nameof(MinSupportWithoutJaccard));
        }
        if (MinJaccardAtHighSupport < 0 || MinJaccardAtHighSupport > MinJaccard)
        {
            throw new ArgumentException($"{nameof(MinJaccardAtHighSupport)} must be in [0, {nameof(MinJaccard)}] (got {MinJaccardAtHighSupport})", nameof(MinJaccardAtHighSupport));
        }
        if (MinNetworkSize < 2)
        {
            throw new ArgumentException($"{nameof(MinNetworkSize)} must be at least 2 (got {MinNetworkSize})", nameof(MinNetworkSize));
        }
        if (ReferenceMinSupport < 1 || ReferenceMinSupport > MinSupport)
        {
            throw new ArgumentException($"{nameof(ReferenceMinSupport)} must be in [1, {nameof(MinSupport)}] (got {ReferenceMinSupport})", nameof(ReferenceMinSupport));
        }
        if (AttachMinShare is < 0 or > 1)
        {
            throw new ArgumentException($"{nameof(AttachMinShare)} must be in [0, 1] (got {AttachMinShare})", nameof(AttachMinShare));
        }
        if (AttachMinLinks < 1)
        {
            throw new ArgumentException($"{nameof(AttachMinLinks)} must be at least 1 (got {AttachMinLinks})", nameof(AttachMinLinks));
        }
        if (!(LeidenResolution > 0) || double.IsInfinity(LeidenResolution))
        {
            throw new ArgumentException($"{nameof(LeidenResolution)} must be positive and finite (got {LeidenResolution})", nameof(LeidenResolution));
        }
        if (PcaRank < 1)
        {
            throw new ArgumentException($"{nameof(PcaRank)} must be at least 1 (got {PcaRank})", nameof(PcaRank));
        }
        if (TakedownThreshold is < 0 or > 1)
        {
            throw new ArgumentException($"{nameof(TakedownThreshold)} must be in [0, 1] (got {TakedownThreshold})", nameof(TakedownThreshold));
        }
        return this;
    }
}
