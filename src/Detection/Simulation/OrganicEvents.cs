using Cib.Detection.Signals;

namespace Cib.Detection.Simulation;

/// <summary>
/// Authentic mass behaviour that resembles coordination: viral bursts, fan communities and news
/// bursts. Their participants are ordinary accounts; a detector that flags them is wrong.
/// </summary>
internal sealed class OrganicEvents
{
    private const double Hour = 3600;

    private static readonly string[] FandomSuffixes = ["Army", "Fam", "Stans", "Nation", "Squad"];

    private readonly SeededRandom _random;
    private readonly Lexicon _lexicon;
    private readonly SignalSink _sink;
    private readonly IReadOnlyList<SimulatedAccount> _organic;

    public OrganicEvents(SeededRandom random, Lexicon lexicon, SignalSink sink, IReadOnlyList<SimulatedAccount> organic)
    {
        _random = random;
        _lexicon = lexicon;
        _sink = sink;
        _organic = organic;
    }

    /// <summary>
    /// Picks idols and their fans before everyday activity runs, because fans tag their everyday
    /// posts with the fandom hashtag and idols are famous enough to be followed and reposted.
    /// Fans belong to one fandom each.
    /// </summary>
    public List<Fandom> FormFandoms(int count)
    {
        var fandoms = new List<Fandom>(count);
        var free = Enumerable.Range(0, _organic.Count).ToList();
        _random.Shuffle(free);
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            var size = Math.Min(_random.Next(100, 300), (_organic.Count / 4) / Math.Max(1, count));
            if (next + size + 1 > free.Count || size < 2)
            {
                break;
            }
            var idol = _organic[free[next++]];
            idol.Fame = Math.Max(idol.Fame, _random.Uniform(200, 600));
            var tag = Lexicon.Capitalise(_lexicon.FreshWord(_random)) + _random.Pick(FandomSuffixes);
            var fans = new List<SimulatedAccount>(size);
            var devotion = new List<double>(size);
            for (var f = 0; f < size; f++)
            {
                var fan = _organic[free[next++]];
                fan.FandomTag = tag;
                fans.Add(fan);
                devotion.Add(_random.Uniform(0.3, 0.6));
            }
            fandoms.Add(new Fandom(idol, fans, devotion, tag));
        }
        return fandoms;
    }

    /// <summary>
    /// The idol posts 10–20 times a day on its own rhythm; each fan reacts to each post with its own
    /// probability in [0.3, 0.6], after a log-normal delay (median 10 minutes, σ = 1.1, so from
    /// about a minute to over an hour).
    /// </summary>
    public OrganicGroup RunFandom(string id, Fandom fandom, OrganicActivity activity)
    {
        var posts = new List<string>();
        foreach (var time in activity.RhythmicTimes(fandom.Idol, _random.Uniform(10, 20)))
        {
            var post = activity.Post(fandom.Idol, time, _random.Chance(0.5) ? [fandom.Tag] : null);
            posts.Add(post);
            for (var f = 0; f < fandom.Fans.Count; f++)
            {
                if (!_random.Chance(fandom.Devotion[f]))
                {
                    continue;
                }
                var fan = fandom.Fans[f];
                var at = time + _random.LogNormal(600, 1.1);
                var style = _random.NextDouble();
                if (style < 0.7)
                {
                    _sink.Add(_sink.NewId('r'), fan, SignalKind.Repost, post, at);
                }
                if (style >= 0.55)
                {
                    _sink.Add(_sink.NewId('k'), fan, SignalKind.Like, post, at + _random.Exponential(20));
                }
                if (_random.Chance(0.08))
                {
                    _sink.Add(_sink.NewId('c'), fan, SignalKind.Reply, post, at + _random.Exponential(60),
                        _lexicon.Sentence(_random, _random.Next(2, 10)) + " #" + fandom.Tag);
                }
            }
        }
        return new OrganicGroup(id, OrganicEventKind.FanCommunity, [fandom.Idol.Id, .. fandom.Fans.Select(f => f.Id)], posts);
    }

    /// <summary>
    /// An ordinary account's post is reposted by 300–1,500 accounts within an hour, most in the first
    /// minutes (delays exponential with mean 10 minutes, truncated at an hour); half also like it,
    /// and a tenth as many again repost it over the following hours.
    /// </summary>
    public OrganicGroup RunViral(string id, OrganicActivity activity)
    {
        var start = BurstStart();
        var author = _organic[_random.Next(_organic.Count)];
        for (var attempt = 0; attempt < 20 && author.Fame > 3; attempt++)
        {
            author = _organic[_random.Next(_organic.Count)];
        }
        var post = activity.Post(author, start);
        var size = Math.Min(_random.Next(300, 1500), (int)(_organic.Count * 0.3));
        var late = size / 10;
        var crowd = _random.Sample(_organic.Where(a => a != author).ToList(), size + late);
        for (var i = 0; i < crowd.Count; i++)
        {
            var at = start + 20 + (i < size ? FrontLoaded(600, Hour) : Hour + _random.LogNormal(2 * Hour, 0.8));
            _sink.Add(_sink.NewId('r'), crowd[i], SignalKind.Repost, post, at);
            if (_random.Chance(0.5))
            {
                _sink.Add(_sink.NewId('k'), crowd[i], SignalKind.Like, post, at + _random.Exponential(15));
            }
            if (_random.Chance(0.04))
            {
                _sink.Add(_sink.NewId('c'), crowd[i], SignalKind.Reply, post, at + _random.Exponential(90),
                    _lexicon.Sentence(_random, _random.Next(2, 12)));
            }
        }
        return new OrganicGroup(id, OrganicEventKind.ViralBurst, [author.Id, .. crowd.Select(a => a.Id)], [post]);
    }

    /// <summary>
    /// A famous outlet posts a breaking-news URL; 200–600 accounts share it within the hour, each
    /// with their own words (a quarter keep the app's tracking parameters), and some repost the
    /// outlet's post too.
    /// </summary>
    public OrganicGroup RunNews(string id, OrganicActivity activity, LinkPool links)
    {
        var start = BurstStart();
        var outlet = activity.FamousAccount();
        var url = links.NewsArticle();
        var original = activity.Post(outlet, start, url: url);
        var size = Math.Min(_random.Next(200, 600), (int)(_organic.Count * 0.2));
        var crowd = _random.Sample(_organic.Where(a => a != outlet).ToList(), size);
        foreach (var sharer in crowd)
        {
            var at = start + 30 + FrontLoaded(720, Hour);
            activity.Post(sharer, at, url: _random.Chance(0.25) ? links.WithTracking(url) : url);
            if (_random.Chance(0.25))
            {
                _sink.Add(_sink.NewId('r'), sharer, SignalKind.Repost, original, at + _random.Exponential(30));
            }
        }
        return new OrganicGroup(id, OrganicEventKind.NewsBurst, [outlet.Id, .. crowd.Select(a => a.Id)], [url]);
    }

    /// <summary>
    /// A meme goes round: 200–600 accounts re-post one image with its caption over about three hours
    /// (delays exponential with mean 40 minutes), each copy re-encoded (<see cref="ContentVariants.Reencode"/>)
    /// and a third of the captions reworded (<see cref="ContentVariants.Reword"/>).
    /// </summary>
    public OrganicGroup RunMemeWave(string id, OrganicActivity activity)
    {
        var start = BurstStart();
        var image = _random.NextUInt64();
        var caption = _lexicon.Sentence(_random, _random.Next(8, 16));
        var crowd = _random.Sample(_organic.ToList(), Math.Min(_random.Next(200, 600), (int)(_organic.Count * 0.2)));
        var posts = new List<string>();
        foreach (var sharer in crowd)
        {
            var at = start + FrontLoaded(2400, 3 * Hour);
            var text = _random.Chance(0.33) ? ContentVariants.Reword(_random, _lexicon, caption) : caption;
            posts.Add(_sink.Post(sharer, at, text, fingerprint: ContentVariants.Reencode(_random, image)));
        }
        return new OrganicGroup(id, OrganicEventKind.MemeWave, [.. crowd.Select(a => a.Id)], posts);
    }

    /// <summary>A start that leaves the burst's hour, and an hour of aftermath, inside the span when
    /// the span is long enough.</summary>
    private double BurstStart() => _random.Uniform(0.05, 0.9) * Math.Max(0, _sink.DurationSeconds - 2 * Hour);

    /// <summary>Exponential with the given mean truncated to [0, limit) by inverse transform:
    /// d = −mean · ln(1 − U·(1 − e^(−limit/mean))).</summary>
    private double FrontLoaded(double mean, double limit) =>
        -mean * Math.Log(1 - _random.NextDouble() * (1 - Math.Exp(-limit / mean)));
}
