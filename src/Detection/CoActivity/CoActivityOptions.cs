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
    /// reposts and likes (the toolkit's usual setting), 120 s for replies, links, hashtags and hashtag
    /// sequences, 300 s for follows (a follow train's riders work down a list of accounts one by one),
    /// mentions, identical and near-duplicate text, fingerprints and media (copy-paste is slower).
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
        [CoActivityKind.CoNearText] = TimeSpan.FromSeconds(300),
        [CoActivityKind.CoMedia] = TimeSpan.FromSeconds(300),
        [CoActivityKind.CoHashtagSequence] = TimeSpan.FromSeconds(120),
    };

    /// <summary>
    /// Least MinHash-estimated Jaccard similarity Ĵ of two posts' word-bigram sets for co-near-text
    /// (<see cref="TextSketch"/>); default 0.5: one word in six replaced still matches, two unrelated
    /// sentences on the same topic do not.
    /// </summary>
    public double NearTextMinSimilarity { get; init; } = 0.5;

    /// <summary>
    /// Texts with fewer word bigrams than this get no near-duplicate sketch: short texts are alike by
    /// chance (two words changed in six is a different message), and every sketched post costs
    /// <see cref="TextSketch.Bands"/> more windows; default 8 (nine words).
    /// </summary>
    public int NearTextMinBigrams { get; init; } = 8;

    /// <summary>
    /// Most bits in which two 64-bit perceptual hashes may differ for co-media (<see cref="PerceptualHash"/>);
    /// default 6, so re-encoded, resized or lightly cropped copies of one image match. Each hash becomes
    /// d + 1 block targets, so a larger d costs more targets and more candidates.
    /// </summary>
    public int MediaMaxDistance { get; init; } = 6;

    /// <summary>
    /// Known redirects, canonical short URL → canonical long URL (a shortener's link and where it
    /// leads), applied after canonicalisation so that both spellings of a link are one co-link target;
    /// empty by default. <see cref="UrlRedirects.Parse"/> reads them from CSV.
    /// </summary>
    public IReadOnlyDictionary<string, string> Redirects { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

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

    /// <summary>
    /// Longest window a kind may have: a year. Long windows are for slow data (a few posts per account
    /// over months, as in the Lee 2011 set); a window keeps at most <see cref="MaxActorsPerWindow"/>
    /// actions per target, so the memory a long window costs is one window per distinct target seen
    /// within it.
    /// </summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    /// <summary>The window for a kind.</summary>
    public TimeSpan WindowFor(CoActivityKind kind) => Windows.TryGetValue(kind, out var w) ? w : TimeSpan.FromSeconds(60);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public CoActivityOptions Validate()
    {
        foreach (var (kind, w) in Windows)
        {
            if (w <= TimeSpan.Zero || w > MaxWindow)
            {
                throw new ArgumentException($"window for {kind.ToWire()} must be more than 0 and at most {MaxWindow.TotalDays:0} days (got {w})", nameof(Windows));
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
        if (NearTextMinSimilarity is <= 0 or > 1 || double.IsNaN(NearTextMinSimilarity))
        {
            throw new ArgumentException($"{nameof(NearTextMinSimilarity)} must be in (0, 1] (got {NearTextMinSimilarity})", nameof(NearTextMinSimilarity));
        }
        if (NearTextMinBigrams < 1)
        {
            throw new ArgumentException($"{nameof(NearTextMinBigrams)} must be at least 1 (got {NearTextMinBigrams})", nameof(NearTextMinBigrams));
        }
        if (MediaMaxDistance is < 1 or > 15)
        {
            throw new ArgumentException($"{nameof(MediaMaxDistance)} must be between 1 and 15 bits (got {MediaMaxDistance})", nameof(MediaMaxDistance));
        }
        if (EvidenceSamplesPerEdge < 1)
        {
            throw new ArgumentException($"{nameof(EvidenceSamplesPerEdge)} must be at least 1 (got {EvidenceSamplesPerEdge})", nameof(EvidenceSamplesPerEdge));
        }
        return this;
    }
}
