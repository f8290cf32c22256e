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
/// organic crowd on one viral post contributes at most one.</param>
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
    public void Add(CoActivityEvidence e)
    {
        if (!_pairs.TryGetValue((e.A, e.B), out var acc))
        {
            acc = new Accumulator();
            _pairs.Add((e.A, e.B), acc);
        }
        acc.Add(e, _options);
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
        public readonly HashSet<ulong> KindOccasions = [];

        public int Support { get; private set; }
        private readonly int[] _byKind = new int[CoActivityKinds.Count];
        private readonly List<(ulong Rank, EvidenceSample Sample)> _samples = [];
        private readonly List<int> _days = new(1);
        private double _weight;
        private double _gapSum;
        private long _first = long.MaxValue;
        private long _last = long.MinValue;

        public void Add(CoActivityEvidence e, CoActivityOptions options)
        {
            var bucket = Mix((ulong)(Math.Min(e.TicksA, e.TicksB) / options.OccasionBucket.Ticks));
            if (!KindOccasions.Add(OccasionHash(e.Kind, e.TargetKey, bucket)))
            {
                return;
            }
            _byKind[(int)e.Kind]++;
            // Reposting, liking and replying to one post are three actions on one object: a pair that
            // does all three to a viral post within a minute has met once, not three times. The
            // object's occasion is new only if no sibling kind has shown it, whatever the arrival order.
            if (e.Kind is CoActivityKind.CoRepost or CoActivityKind.CoLike or CoActivityKind.CoReply)
            {
                foreach (var sibling in PostKinds)
                {
                    if (sibling != e.Kind && KindOccasions.Contains(OccasionHash(sibling, e.TargetKey, bucket)))
                    {
                        return;
                    }
                }
            }
            var occasion = OccasionHash(ObjectKind(e.Kind), e.TargetKey, bucket);
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

        public EdgeSummary ToSummary(string a, string b)
        {
            var samples = _samples.OrderBy(s => s.Sample.TimeA).Select(s => s.Sample).ToArray();
            return new EdgeSummary(a, b, Support, _weight, (int[])_byKind.Clone(), _gapSum / Math.Max(1, Support),
                new DateTimeOffset(_first, TimeSpan.Zero), new DateTimeOffset(_last, TimeSpan.Zero), samples)
            {
                ActiveDays = [.. _days.Select(DateOnly.FromDayNumber)],
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
