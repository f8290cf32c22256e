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

    /// <summary>An edge with at least this many occasions passes without the Jaccard test (default
    /// 10). Jaccard compares co-activity with everything two accounts ever did, so over months of
    /// history two prolific accounts that co-retweeted hundreds of times still score J &lt; 0.05;
    /// ten distinct occasions, each inside one short window, are not chance meetings. On the
    /// simulated day no organic pair reaches it on more than one edge.</summary>
    public int MinSupportWithoutJaccard { get; init; } = 10;

    /// <summary>Whether connected components are split into Leiden communities (modularity, resolution
    /// 1, weights w) before they become networks (default true): a component held together by a few
    /// edges between two dense groups is two networks.</summary>
    public bool SplitCommunities { get; init; } = true;

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
        if (MinSupportWithoutJaccard < MinSupport)
        {
            throw new ArgumentException($"{nameof(MinSupportWithoutJaccard)} must be at least {nameof(MinSupport)} ({MinSupport}) (got {MinSupportWithoutJaccard})", nameof(MinSupportWithoutJaccard));
        }
        if (MinNetworkSize < 2)
        {
            throw new ArgumentException($"{nameof(MinNetworkSize)} must be at least 2 (got {MinNetworkSize})", nameof(MinNetworkSize));
        }
        if (ReferenceMinSupport < 1 || ReferenceMinSupport > MinSupport)
        {
            throw new ArgumentException($"{nameof(ReferenceMinSupport)} must be in [1, {nameof(MinSupport)}] (got {ReferenceMinSupport})", nameof(ReferenceMinSupport));
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
