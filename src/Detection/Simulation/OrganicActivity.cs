using Cib.Detection.Signals;

namespace Cib.Detection.Simulation;

/// <summary>
/// Everyday activity: each account acts in sessions whose start times follow its daily rhythm, and
/// at each action likes, reposts, replies to, posts or follows. Engagement goes to posts chosen by
/// preferential attachment, so popular authors and already-popular posts gather most of it.
/// </summary>
/// <remarks>
/// Preferential attachment uses an urn per 10-minute bucket of post time: a post enters its bucket
/// with as many tickets as its author's reach, and every engagement adds tickets, so drawing a ticket
/// uniformly picks a post with probability proportional to its popularity in O(1). The bucket is
/// chosen by a heavy-tailed delay (log-normal, median 25 minutes), which gives reposts minutes to
/// hours after the original.
/// </remarks>
internal sealed class OrganicActivity
{
    private const double BucketSeconds = 600;
    private const double SessionGapSeconds = 40;

    private readonly SeededRandom _random;
    private readonly Lexicon _lexicon;
    private readonly LinkPool _links;
    private readonly SignalSink _sink;
    private readonly IReadOnlyList<SimulatedAccount> _accounts;
    private readonly WeightedSampler _byFame;
    private readonly double _startHour;
    private readonly double _scale;
    private readonly double _campaignScale;
    private readonly List<int>?[] _urn;
    private readonly List<int> _postAuthor = [];
    private readonly List<string> _postId = [];
    private readonly List<int> _postBucket = [];

    public OrganicActivity(SeededRandom random, Lexicon lexicon, LinkPool links, SignalSink sink,
        IReadOnlyList<SimulatedAccount> accounts, DateTimeOffset start, double scale, double campaignScale = 1)
    {
        _campaignScale = campaignScale;
        _random = random;
        _lexicon = lexicon;
        _links = links;
        _sink = sink;
        _accounts = accounts;
        _byFame = new WeightedSampler(accounts.Select(a => a.Fame).ToArray());
        _startHour = start.UtcDateTime.TimeOfDay.TotalHours;
        _scale = scale;
        _urn = new List<int>[(int)(sink.DurationSeconds / BucketSeconds) + 1];
    }

    /// <summary>An account drawn with probability proportional to its reach.</summary>
    public SimulatedAccount FamousAccount() => _accounts[_byFame.Next(_random)];

    /// <summary>Hours since midnight UTC at <paramref name="seconds"/> into the span.</summary>
    public double UtcHour(double seconds) => _startHour + seconds / 3600;

    /// <summary>Runs the everyday activity of <paramref name="actors"/> (indices into the accounts).</summary>
    public void Run(IEnumerable<int> actors)
    {
        var slots = new List<(double Time, int Actor)>();
        foreach (var actor in actors)
        {
            AddSessions(actor, slots);
        }
        // Acting in time order is what lets engagement reach only posts that already exist.
        slots.Sort();
        foreach (var (time, actor) in slots)
        {
            Act(actor, time);
        }
    }

    /// <summary>
    /// Instants (seconds into the span) drawn from the account's daily rhythm, by thinning a
    /// homogeneous Poisson process at the peak rate, <paramref name="perDay"/> on average.
    /// </summary>
    public List<double> RhythmicTimes(SimulatedAccount account, double perDay)
    {
        var times = new List<double>();
        var peakRate = perDay * (1 + account.Amplitude) / 86_400;
        var t = 0.0;
        while (true)
        {
            t += _random.Exponential(1 / peakRate);
            if (t >= _sink.DurationSeconds)
            {
                return times;
            }
            if (_random.NextDouble() * (1 + account.Amplitude) < account.Rhythm(UtcHour(t)))
            {
                times.Add(t);
            }
        }
    }

    /// <summary>Text, tags, link and mention of an everyday post; records it and returns its id.</summary>
    public string Post(SimulatedAccount author, double time, IReadOnlyList<string>? extraTags = null, string? url = null)
    {
        var r = _random;
        List<string>? mentions = null;
        var text = _lexicon.Sentence(r, r.Next(4, 22));
        if (r.Chance(0.06))
        {
            var mentioned = FamousAccount();
            if (mentioned != author)
            {
                mentions = [mentioned.Id];
                text = "@" + mentioned.Profile.Handle + " " + text;
            }
        }
        List<string>? tags = extraTags?.ToList();
        if (r.Chance(author.HashtagProbability))
        {
            tags ??= [];
            var count = r.Chance(0.7) ? 1 : r.Next(2, 3);
            for (var i = 0; i < count; i++)
            {
                var tag = author.FandomTag is not null && r.Chance(0.5) ? author.FandomTag
                    : r.Chance(0.7) ? _lexicon.Hashtags[r.Pick(author.Interests)]
                    : r.Pick(_lexicon.Hashtags);
                if (!tags.Contains(tag))
                {
                    tags.Add(tag);
                }
            }
        }
        if (tags is not null)
        {
            text += string.Concat(tags.Select(t => " #" + t));
        }
        url ??= r.Chance(author.LinkProbability) ? _links.Share() : null;
        List<string>? urls = null;
        if (url is not null)
        {
            urls = [url];
            text += " " + url;
        }
        return _sink.Post(author, time, text, tags, urls, mentions);
    }

    private void AddSessions(int actor, List<(double Time, int Actor)> slots)
    {
        var account = _accounts[actor];
        var perDay = account.DailyRate * _scale * (account.Campaign >= 0 ? _campaignScale : 1);
        // Heavy users act in longer sessions rather than in more scattered single actions.
        var meanSession = 1 + Math.Min(perDay / 20, 10);
        foreach (var start in RhythmicTimes(account, perDay / meanSession))
        {
            var length = 1 + (int)_random.Exponential(meanSession - 1 + 1e-9);
            var t = start;
            for (var i = 0; i < length && t < _sink.DurationSeconds; i++)
            {
                slots.Add((t, actor));
                t += 1 + _random.Exponential(SessionGapSeconds);
            }
        }
    }

    private void Act(int actor, double time)
    {
        var account = _accounts[actor];
        var roll = _random.NextDouble();
        var mix = account.ActionMix;
        var kind = roll < mix[0] ? SignalKind.Like
            : roll < mix[1] ? SignalKind.Repost
            : roll < mix[2] ? SignalKind.Post
            : roll < mix[3] ? SignalKind.Reply
            : SignalKind.Follow;
        if (kind == SignalKind.Follow)
        {
            Follow(account, time);
            return;
        }
        // Posting is also the fallback when nothing exists yet to engage with.
        if (kind == SignalKind.Post || !TryPickPost(actor, time, out var post))
        {
            AddPost(actor, time);
            return;
        }
        switch (kind)
        {
            case SignalKind.Like:
                _sink.Add(_sink.NewId('k'), account, SignalKind.Like, _postId[post], time);
                AddTickets(post, 1);
                break;
            case SignalKind.Repost:
                _sink.Add(_sink.NewId('r'), account, SignalKind.Repost, _postId[post], time);
                AddTickets(post, 2);
                break;
            default:
                _sink.Add(_sink.NewId('c'), account, SignalKind.Reply, _postId[post], time, _lexicon.Sentence(_random, _random.Next(2, 14)));
                AddTickets(post, 1);
                break;
        }
    }

    private void Follow(SimulatedAccount account, double time)
    {
        var followed = FamousAccount();
        if (followed != account)
        {
            _sink.Add(_sink.NewId('f'), account, SignalKind.Follow, followed.Id, time);
        }
    }

    private void AddPost(int actor, double time)
    {
        var id = Post(_accounts[actor], time);
        _postId.Add(id);
        _postAuthor.Add(actor);
        _postBucket.Add(BucketIndex(time));
        AddTickets(_postId.Count - 1, 1 + (int)_accounts[actor].Fame);
    }

    private void AddTickets(int post, int count)
    {
        var bucket = _urn[_postBucket[post]] ??= [];
        for (var i = 0; i < count; i++)
        {
            bucket.Add(post);
        }
    }

    private bool TryPickPost(int actor, double time, out int post)
    {
        post = -1;
        var now = BucketIndex(time);
        var wanted = BucketIndex(Math.Max(0, time - _random.LogNormal(1500, 1.5)));
        var b = wanted;
        while (b >= 0 && (_urn[b] is null || _urn[b]!.Count == 0))
        {
            b--;
        }
        if (b < 0)
        {
            b = wanted + 1;
            while (b <= now && (_urn[b] is null || _urn[b]!.Count == 0))
            {
                b++;
            }
            if (b > now)
            {
                return false;
            }
        }
        var tickets = _urn[b]!;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var candidate = tickets[_random.Next(tickets.Count)];
            if (_postAuthor[candidate] != actor)
            {
                post = candidate;
                return true;
            }
        }
        return false;
    }

    private int BucketIndex(double time) => Math.Min((int)(time / BucketSeconds), _urn.Length - 1);
}
