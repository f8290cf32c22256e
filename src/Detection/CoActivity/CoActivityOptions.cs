namespace Cib.Detection.CoActivity;

/// <summary>
/// How co-activity is observed and when a pair of accounts becomes an edge. Every default is the
/// value a user gets without configuration; <see cref="Validate"/> names any bad value.
/// </summary>
public sealed record CoActivityOptions
{
    /// <summary>
    /// Window per kind: two actions on the same target are co-active when their times differ by at
    /// most this (inclusive, as the coordination network toolkit counts). Defaults: 60 s for
    /// reposts and likes (the toolkit's usual setting), 120 s for replies, links and hashtags,
    /// 300 s for follows, mentions, identical text and fingerprints (copy-paste is slower).
    /// </summary>
    public IReadOnlyDictionary<CoActivityKind, TimeSpan> Windows { get; init; } = new Dictionary<CoActivityKind, TimeSpan>
    {
        [CoActivityKind.CoRepost] = TimeSpan.FromSeconds(60),
        [CoActivityKind.CoLike] = TimeSpan.FromSeconds(60),
        [CoActivityKind.CoReply] = TimeSpan.FromSeconds(120),
        [CoActivityKind.CoLink] = TimeSpan.FromSeconds(120),
        [CoActivityKind.CoHashtag] = TimeSpan.FromSeconds(120),
        [CoActivityKind.CoFollow] = TimeSpan.FromSeconds(300),
        [CoActivityKind.CoMention] = TimeSpan.FromSeconds(300),
        [CoActivityKind.CoText] = TimeSpan.FromSeconds(300),
        [CoActivityKind.CoFingerprint] = TimeSpan.FromSeconds(300),
    };

    /// <summary>
    /// How late (in event time, behind the newest action seen on a target) an action may arrive and
    /// still meet the actions it was co-active with. Online ingest is nearly ordered; default 10 min.
    /// </summary>
    public TimeSpan Lateness { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Most recent actions kept per target. On a hot target (a viral post) the window holds at most
    /// this many, which bounds memory and the pairs one action can produce; default 200.
    /// </summary>
    public int MaxActorsPerWindow { get; init; } = 200;

    /// <summary>
    /// Co-actions on one target are counted once per bucket of this length, so a hashtag pushed in
    /// ten separate bursts is ten occasions while a thread of replies within an hour is one; default 1 h.
    /// </summary>
    public TimeSpan OccasionBucket { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Evidence samples kept per edge (the rest are counted, not stored); default 8.</summary>
    public int EvidenceSamplesPerEdge { get; init; } = 8;

    /// <summary>The window for a kind.</summary>
    public TimeSpan WindowFor(CoActivityKind kind) => Windows.TryGetValue(kind, out var w) ? w : TimeSpan.FromSeconds(60);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public CoActivityOptions Validate()
    {
        foreach (var (kind, w) in Windows)
        {
            if (w <= TimeSpan.Zero || w > TimeSpan.FromDays(1))
            {
                throw new ArgumentException($"window for {kind.ToWire()} must be between 0 and 1 day (got {w})", nameof(Windows));
            }
        }
        if (Lateness < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(Lateness)} must not be negative (got {Lateness})", nameof(Lateness));
        }
        if (MaxActorsPerWindow < 2)
        {
            throw new ArgumentException($"{nameof(MaxActorsPerWindow)} must be at least 2 (got {MaxActorsPerWindow})", nameof(MaxActorsPerWindow));
        }
        if (OccasionBucket <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(OccasionBucket)} must be positive (got {OccasionBucket})", nameof(OccasionBucket));
        }
        if (EvidenceSamplesPerEdge < 1)
        {
            throw new ArgumentException($"{nameof(EvidenceSamplesPerEdge)} must be at least 1 (got {EvidenceSamplesPerEdge})", nameof(EvidenceSamplesPerEdge));
        }
        return this;
    }
}
