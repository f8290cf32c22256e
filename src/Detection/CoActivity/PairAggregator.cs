using System.Runtime.InteropServices;

namespace Cib.Detection.CoActivity;

/// <summary>One sampled piece of evidence behind an edge: which target, and when each account acted.</summary>
public sealed record EvidenceSample(CoActivityKind Kind, string TargetKey, DateTimeOffset TimeA, DateTimeOffset TimeB)
{
    /// <summary>Seconds between the two actions.</summary>
    public double GapSeconds => Math.Abs((TimeA - TimeB).TotalSeconds);
}

/// <summary>
/// The aggregated co-activity of one pair of accounts (A &lt; B, ordinal).
/// </summary>
/// <param name="A">First account.</param>
/// <param name="B">Second account.</param>
/// <param name="Support">s(A,B): distinct occasions, an occasion being an object acted on and an
/// <see cref="CoActivityOptions.OccasionBucket"/> of time; repeated co-actions on one object in one
/// bucket count once, and reposting, liking and replying to the same post are one object, so an
/// organic crowd on one viral post contributes at most one. For content (identical or near-duplicate
/// text, fingerprints, near-identical media) the occasion is the pair of posts, whichever of those
/// kinds showed it: a copied meme with its caption is one occasion, and so is each further pair of posts.</param>
/// <param name="Weight">w(A,B) = Σ over occasions o of 1 / log2(1 + c_o), with c_o the crowd (accounts
/// in the window, at least 2) when the occasion was first seen: co-acting inside a crowd of
/// thousands weighs little, co-acting as a pair weighs 1.</param>
/// <param name="SupportByKind">Occasions per <see cref="CoActivityKind"/> (index = kind), an occasion here being a
/// kind, a target and a bucket: a post both reposted and liked together counts once under each kind, so these
/// may sum to more than <paramref name="Support"/>; neither depends on the order evidence arrives in.</param>
/// <param name="MeanGapSeconds">Mean time between the two accounts' actions over the occasions.</param>
/// <param name="FirstSeen">Earliest action in the pair's evidence.</param>
/// <param name="LastSeen">Latest action in the pair's evidence.</param>
/// <param name="Samples">A bounded, order-independent sample of the evidence (bottom-k by hash).</param>
public sealed record EdgeSummary(
    string A,
    string B,
    int Support,
    double Weight,
    IReadOnlyList<int> SupportByKind,
    double MeanGapSeconds,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    IReadOnlyList<EvidenceSample> Samples)
{
    /// <summary>
    /// Jaccard similarity of the two accounts' action sets, J = s / (n_A + n_B − s), where n is each
    /// account's number of co-activity actions: a hyperactive account that meets everybody now and
    /// then has a low J with all of them. 0 when the denominator is not positive.
    /// </summary>
    public double Jaccard(long actionsA, long actionsB)
    {
        var denominator = (double)actionsA + actionsB - Support;
        return denominator <= 0 ? 0 : Math.Min(1.0, Support / denominator);
    }

    /// <summary>UTC days (ascending) on which either account acted in one of this pair's occasions: the
    /// time buckets of the daily Jaccard (<c>Cib.Detection.Networks.DailyJaccard</c>).</summary>
    public IReadOnlyList<DateOnly> ActiveDays { get; init; } = [];

    /// <summary>Distinct actions of A (kind, target, time) in the pair's evidence: CooRTweet's n_content_id.</summary>
    public int ActionsA { get; init; }

    /// <summary>Distinct actions of B in the pair's evidence: CooRTweet's n_content_id_y.</summary>
    public int ActionsB { get; init; }

    /// <summary>
    /// Edge symmetry as CooRTweet reports it (Righetti and Balluff, <c>edge_symmetry_score</c> of
    /// <c>generate_coordinated_network</c>): σ = min(a, b) / max(a, b), with a and b the distinct actions
    /// of each account behind the pair's evidence (<see cref="ActionsA"/>, <see cref="ActionsB"/>).
    /// 1 when both contribute equally; near 0 when one hyperactive account's many actions each meet the
    /// other's few. 1 when both counts are 0 (no evidence, nothing unequal).
    /// </summary>
    public double Symmetry => Math.Max(ActionsA, ActionsB) is var most && most > 0 ? Math.Min(ActionsA, ActionsB) / (double)most : 1;

    /// <summary>The kind with the most occasions.</summary>
    public CoActivityKind DominantKind
    {
        get
        {
            var best = 0;
            for (var k = 1; k < SupportByKind.Count; k++)
            {
                if (SupportByKind[k] > SupportByKind[best])
                {
                    best = k;
                }
            }
            return (CoActivityKind)best;
        }
    }
}

/// <summary>
/// Aggregates co-activity evidence into weighted account pairs that keep a bounded sample of their
/// evidence. Not thread-safe: one owner (a grain) at a time.
/// </summary>
public sealed class PairAggregator
{
    private readonly Dictionary<(string A, string B), Accumulator> _pairs = [];
    private readonly CoActivityOptions _options;

    /// <summary>Creates an empty aggregator.</summary>
    public PairAggregator(CoActivityOptions options) => _options = options.Validate();

    /// <summary>Pairs held.</summary>
    public int Count => _pairs.Count;

    /// <summary>Adds one piece of evidence.</summary>
    public void Add(CoActivityEvidence e) => Add(EvidenceItem.From(e));

    /// <summary>Adds one piece of evidence.</summary>
    public void Add(in EvidenceItem e)
    {
        ref var acc = ref CollectionsMarshal.GetValueRefOrAddDefault(_pairs, (e.A, e.B), out var exists);
        if (!exists)
        {
            acc = new Accumulator();
        }
        acc!.Add(e, _options);
    }

    /// <summary>Pairs with at least <paramref name="minSupport"/> occasions, in ordinal order of (A, B).</summary>
    public List<EdgeSummary> Edges(int minSupport)
    {
        var result = new List<EdgeSummary>();
        foreach (var ((a, b), acc) in _pairs)
        {
            if (acc.Support >= minSupport)
            {
                result.Add(acc.ToSummary(a, b));
            }
        }
        result.Sort((x, y) => string.CompareOrdinal(x.A, y.A) is var c && c != 0 ? c : string.CompareOrdinal(x.B, y.B));
        return result;
    }

    private sealed class Accumulator
    {
        private static readonly CoActivityKind[] PostKinds = [CoActivityKind.CoRepost, CoActivityKind.CoLike, CoActivityKind.CoReply];

        // Hashes of (kind, target, bucket) seen: SupportByKind counts them; Support counts the objects.
        // Most pairs meet once or twice (a handful of hashes): a short array searched in place, one
        // object per pair instead of a set's three; a pair with many occasions moves to a set.
        private const int ShortSeen = 16;
        private ulong[] _seen = new ulong[4];
        private int _seenCount;
        private HashSet<ulong>? _seenSet;

        public int Support { get; private set; }
        private readonly int[] _byKind = new int[CoActivityKinds.Count];
        private readonly List<(ulong Rank, EvidenceSample Sample)> _samples = [];
        private readonly List<int> _days = new(1);
        private const ulong ContentObject = 0x3C3C_0000_0000_0003UL;
        private const ulong SideA = 0x5A5A_0000_0000_0001UL;
        private const ulong SideB = 0xA5A5_0000_0000_0002UL;
        private int _actionsA;
        private int _actionsB;
        private double _weight;
        private double _gapSum;
        private long _first = long.MaxValue;
        private long _last = long.MinValue;

        public void Add(in EvidenceItem e, CoActivityOptions options)
        {
            // Each side's distinct actions, for the symmetry: stored in the same set as the occasions,
            // under hashes salted by side, so a pair costs one set however many counts it keeps.
            var target = new CoActivityTarget(e.Kind, e.TargetKey).StableHash();
            _actionsA += AddSeen(Mix(target ^ Mix((ulong)e.TicksA ^ SideA))) ? 1 : 0;
            _actionsB += AddSeen(Mix(target ^ Mix((ulong)e.TicksB ^ SideB))) ? 1 : 0;
            var bucket = Mix((ulong)(Math.Min(e.TicksA, e.TicksB) / options.OccasionBucket.Ticks));
            // OccasionHash(e.Kind, e.TargetKey, bucket), the target's hash reused rather than hashed again.
            var kindOccasionIsNew = AddSeen(Mix(target ^ bucket));
            if (kindOccasionIsNew)
            {
                _byKind[(int)e.Kind]++;
            }
            ulong occasion;
            if (IsContent(e.Kind))
            {
                // Identical text, near-duplicate text, an exact fingerprint and near-identical media are
                // four views of one pair of posts: a meme copied with its caption has met once, not three
                // times. The object is the pair of posts (both times), the same under every content kind,
                // so the count does not depend on which kind's evidence arrives first.
                occasion = Mix(ContentObject ^ Mix((ulong)e.TicksA) ^ ((ulong)e.TicksB * 0x9E3779B97F4A7C15UL));
                if (!AddSeen(occasion))
                {
                    return;
                }
            }
            else
            {
                if (!kindOccasionIsNew || SiblingShowed(e, bucket))
                {
                    return;
                }
                occasion = ObjectKind(e.Kind) == e.Kind ? Mix(target ^ bucket) : OccasionHash(ObjectKind(e.Kind), e.TargetKey, bucket);
            }
            Support++;
            _weight += 1.0 / Math.Log2(1 + Math.Max(2, e.Crowd));
            _gapSum += e.GapSeconds;
            _first = Math.Min(_first, Math.Min(e.TicksA, e.TicksB));
            _last = Math.Max(_last, Math.Max(e.TicksA, e.TicksB));
            AddDay((int)(e.TicksA / TimeSpan.TicksPerDay));
            AddDay((int)(e.TicksB / TimeSpan.TicksPerDay));

            // Bottom-k by a hash of the occasion: the kept sample does not depend on arrival order.
            var sample = new EvidenceSample(e.Kind, e.TargetKey, new DateTimeOffset(e.TicksA, TimeSpan.Zero), new DateTimeOffset(e.TicksB, TimeSpan.Zero));
            if (_samples.Count < options.EvidenceSamplesPerEdge)
            {
                _samples.Add((occasion, sample));
            }
            else
            {
                var worst = 0;
                for (var i = 1; i < _samples.Count; i++)
                {
                    if (_samples[i].Rank > _samples[worst].Rank)
                    {
                        worst = i;
                    }
                }
                if (occasion < _samples[worst].Rank)
                {
                    _samples[worst] = (occasion, sample);
                }
            }
        }

        private bool Seen(ulong hash) => _seenSet?.Contains(hash) ?? _seen.AsSpan(0, _seenCount).Contains(hash);

        private bool AddSeen(ulong hash)
        {
            if (_seenSet is not null)
            {
                return _seenSet.Add(hash);
            }
            if (_seen.AsSpan(0, _seenCount).Contains(hash))
            {
                return false;
            }
            if (_seenCount == ShortSeen)
            {
                _seenSet = new HashSet<ulong>(2 * ShortSeen);
                foreach (var seen in _seen.AsSpan(0, _seenCount))
                {
                    _seenSet.Add(seen);
                }
                _seenSet.Add(hash);
                _seen = [];
                _seenCount = 0;
                return true;
            }
            if (_seenCount == _seen.Length)
            {
                Array.Resize(ref _seen, _seen.Length * 2);
            }
            _seen[_seenCount++] = hash;
            return true;
        }

        // Days arrive nearly in order: the common case is a repeat of the last day or a new last day.
        private void AddDay(int day)
        {
            if (_days.Count > 0 && _days[^1] == day)
            {
                return;
            }
            if (_days.Count == 0 || _days[^1] < day)
            {
                _days.Add(day);
                return;
            }
            var at = _days.BinarySearch(day);
            if (at < 0)
            {
                _days.Insert(~at, day);
            }
        }


        // Reposting, liking and replying to one post are three actions on one object: a pair that
        // does all three to a viral post within a minute has met once, not three times. The
        // object's occasion is new only if no sibling kind has shown it, whatever the arrival order.
        private bool SiblingShowed(in EvidenceItem e, ulong bucket)
        {
            if (e.Kind is CoActivityKind.CoRepost or CoActivityKind.CoLike or CoActivityKind.CoReply)
            {
                foreach (var sibling in PostKinds)
                {
                    if (sibling != e.Kind && Seen(OccasionHash(sibling, e.TargetKey, bucket)))
                    {
                        return true;
                    }
                }
            }
            return false;
        }

        private static bool IsContent(CoActivityKind kind) =>
            kind is CoActivityKind.CoText or CoActivityKind.CoNearText or CoActivityKind.CoFingerprint or CoActivityKind.CoMedia;

        public EdgeSummary ToSummary(string a, string b)
        {
            var samples = _samples.OrderBy(s => s.Sample.TimeA).Select(s => s.Sample).ToArray();
            return new EdgeSummary(a, b, Support, _weight, (int[])_byKind.Clone(), _gapSum / Math.Max(1, Support),
                new DateTimeOffset(_first, TimeSpan.Zero), new DateTimeOffset(_last, TimeSpan.Zero), samples)
            {
                ActiveDays = [.. _days.Select(DateOnly.FromDayNumber)],
                ActionsA = _actionsA,
                ActionsB = _actionsB,
            };
        }

        private static CoActivityKind ObjectKind(CoActivityKind kind) =>
            kind is CoActivityKind.CoLike or CoActivityKind.CoReply ? CoActivityKind.CoRepost : kind;

        private static ulong OccasionHash(CoActivityKind kind, string key, ulong bucket) => Mix(new CoActivityTarget(kind, key).StableHash() ^ bucket);

        // SplitMix64 finaliser: spreads bucket numbers and target hashes over all 64 bits.
        private static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
            return z ^ (z >> 31);
        }
    }
}
