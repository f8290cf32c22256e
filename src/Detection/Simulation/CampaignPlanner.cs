using System.Text;
using Cib.Detection.Signals;

namespace Cib.Detection.Simulation;

/// <summary>
/// Runs planted campaigns: at 10–20 irregular instants a day, members act on the same target within
/// <see cref="SimulationOptions.CampaignJitter"/> of each other.
/// </summary>
/// <remarks>
/// Each member takes part in exactly round(Participation · events) events chosen at random, so
/// per event a member takes part with probability Participation, yet no member is left with an
/// unluckily small share: the ground truth then describes every member equally well.
/// </remarks>
internal sealed class CampaignPlanner
{
    private static readonly string[] Tlds = [".info", ".net", ".news", ".online", ".site", ".today"];

    private readonly SeededRandom _random;
    private readonly Lexicon _lexicon;
    private readonly LinkPool _links;
    private readonly SignalSink _sink;
    private readonly OrganicActivity _activity;
    private readonly SimulationOptions _options;

    public CampaignPlanner(SeededRandom random, Lexicon lexicon, LinkPool links, SignalSink sink, OrganicActivity activity, SimulationOptions options)
    {
        _random = random;
        _lexicon = lexicon;
        _links = links;
        _sink = sink;
        _activity = activity;
        _options = options;
    }

    public PlantedCampaign Run(string id, CampaignKind kind, IReadOnlyList<SimulatedAccount> members, List<CampaignEvent> events)
    {
        var starts = EventStarts();
        var takesPart = Participation(members.Count, starts.Count);
        var jitter = _options.CampaignJitter.TotalSeconds;
        var targets = new List<string>();
        var tags = kind == CampaignKind.HashtagPush ? CampaignTags() : [];
        var domains = kind is CampaignKind.LinkPushing or CampaignKind.ContentFarm ? CampaignDomains() : [];
        var template = kind == CampaignKind.HashtagPush ? Template() : [];
        targets.AddRange(tags);
        for (var e = 0; e < starts.Count; e++)
        {
            var start = starts[e];
            var acting = Enumerable.Range(0, members.Count).Where(m => takesPart[m, e]).Select(m => members[m]).ToList();
            string target;
            switch (kind)
            {
                case CampaignKind.CoordinatedRepost:
                    // The post to amplify comes from a member shortly before; nobody else engages
                    // with it, which is what makes the sudden repost wave stand out.
                    var author = acting[_random.Next(acting.Count)];
                    target = _sink.Post(author, Math.Max(0, start - _random.Uniform(300, 3 * 3600)), _lexicon.Sentence(_random, _random.Next(6, 20)));
                    foreach (var member in acting.Where(m => m != author))
                    {
                        var at = start + _random.Uniform(0, jitter);
                        _sink.Add(_sink.NewId('r'), member, SignalKind.Repost, target, at);
                        if (_random.Chance(0.3))
                        {
                            _sink.Add(_sink.NewId('k'), member, SignalKind.Like, target, at + _random.Uniform(0, 5));
                        }
                    }
                    break;
                case CampaignKind.LinkPushing:
                    target = $"https://{_random.Pick(domains)}/{_lexicon.Word(_random)}-{_lexicon.Word(_random)}-{_links.Token(6)}";
                    foreach (var member in acting)
                    {
                        _sink.Post(member, start + _random.Uniform(0, jitter),
                            _lexicon.Sentence(_random, _random.Next(2, 9)) + " " + target, urls: [target]);
                    }
                    break;
                case CampaignKind.CopyPasteText:
                    target = _lexicon.Sentence(_random, _random.Next(12, 26));
                    foreach (var member in acting)
                    {
                        CopyPaste(member, start + _random.Uniform(0, jitter), target);
                    }
                    break;
                case CampaignKind.ContentFarm:
                    // Farms paste one headline and one farm link everywhere, staggered over a few
                    // minutes by schedulers rather than fired at once.
                    target = _lexicon.Sentence(_random, _random.Next(8, 16));
                    var article = $"https://{_random.Pick(domains)}/{_links.Token(8)}";
                    foreach (var member in acting)
                    {
                        _sink.Post(member, start + _random.Uniform(0, 2 * jitter), target + " " + article, urls: [article]);
                    }
                    break;
                case CampaignKind.ParaphraseFarm:
                    // Spinning tools reword the headline for each account so that no two posts are equal.
                    target = _lexicon.Sentence(_random, _random.Next(12, 20));
                    foreach (var member in acting)
                    {
                        _sink.Post(member, start + _random.Uniform(0, 2 * jitter), ContentVariants.Reword(_random, _lexicon, target));
                    }
                    break;
                case CampaignKind.MediaFarm:
                    var image = _random.NextUInt64();
                    target = image.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
                    foreach (var member in acting)
                    {
                        _sink.Post(member, start + _random.Uniform(0, jitter), _lexicon.Sentence(_random, _random.Next(2, 9)),
                            fingerprint: ContentVariants.Reencode(_random, image));
                    }
                    break;
                case CampaignKind.FollowTrain:
                    // A train lists a few riders and a couple of outsiders it promotes; every rider
                    // follows everyone listed, one after another, within minutes.
                    var listed = acting.OrderBy(_ => _random.NextDouble()).Take(_random.Next(3, 6))
                        .Concat(Enumerable.Range(0, _random.Next(1, 3)).Select(_ => _activity.FamousAccount()))
                        .Distinct().ToList();
                    target = listed[0].Id;
                    foreach (var member in acting)
                    {
                        var at = start + _random.Uniform(0, jitter);
                        foreach (var followed in listed.Where(l => l != member))
                        {
                            _sink.Add(_sink.NewId('f'), member, SignalKind.Follow, followed.Id, at);
                            at += _random.Uniform(2, 15);
                        }
                    }
                    break;
                default:
                    target = tags[0];
                    foreach (var member in acting)
                    {
                        _sink.Post(member, start + _random.Uniform(0, jitter),
                            Fill(template) + string.Concat(tags.Select(t => " #" + t)), tags);
                    }
                    break;
            }
            if (kind != CampaignKind.HashtagPush)
            {
                targets.Add(target);
            }
            events.Add(new CampaignEvent(id, _sink.TimeAt(start), target));
        }
        return new PlantedCampaign(id, kind, members.Select(m => m.Id).ToList(), targets);
    }

    /// <summary>One start per equal slot of the span, placed at random inside its slot: irregular,
    /// yet spread over the whole span and never overlapping.</summary>
    private List<double> EventStarts()
    {
        var days = _sink.DurationSeconds / 86_400;
        var perDay = _options.EventsPerDay ?? _random.Uniform(10, 20);
        var count = Math.Max(3, (int)Math.Round(perDay * Math.Max(days, 0.25)));
        var usable = _sink.DurationSeconds - _options.CampaignJitter.TotalSeconds - 60;
        var slot = usable / count;
        var starts = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            starts.Add(slot * (i + _random.Uniform(0.1, 0.9)));
        }
        return starts;
    }

    private bool[,] Participation(int members, int events)
    {
        var share = Math.Max(1, (int)Math.Round(_options.Participation * events));
        var takesPart = new bool[members, events];
        var order = Enumerable.Range(0, events).ToArray();
        for (var m = 0; m < members; m++)
        {
            _random.Shuffle(order);
            for (var i = 0; i < share; i++)
            {
                takesPart[m, order[i]] = true;
            }
        }
        // A coordinated repost needs an author and a reposter; give thin events a second member.
        for (var e = 0; e < events; e++)
        {
            var count = 0;
            for (var m = 0; m < members; m++)
            {
                count += takesPart[m, e] ? 1 : 0;
            }
            for (var m = 0; count < Math.Min(2, members) && m < members; m++)
            {
                if (!takesPart[m, e])
                {
                    takesPart[m, e] = true;
                    count++;
                }
            }
        }
        return takesPart;
    }

    /// <summary>
    /// Posts the shared text with the surface changes copy-paste operations make so that exact
    /// matching misses them: case, doubled spaces or line breaks, and a different leading
    /// @mention. Lower-casing, collapsing whitespace and dropping leading mentions undoes all three.
    /// </summary>
    private void CopyPaste(SimulatedAccount member, double at, string text)
    {
        var variant = _random.Next(4) switch
        {
            0 => text,
            1 => text.ToUpperInvariant(),
            2 => text.ToLowerInvariant(),
            _ => string.Join(' ', text.Split(' ').Select(Lexicon.Capitalise)),
        };
        var spaced = new StringBuilder(variant.Length + 8);
        foreach (var c in variant)
        {
            if (c == ' ' && _random.Chance(0.12))
            {
                spaced.Append(_random.Chance(0.5) ? "  " : "\n");
            }
            else
            {
                spaced.Append(c);
            }
        }
        if (_random.Chance(0.3))
        {
            spaced.Append(' ');
        }
        List<string>? mentions = null;
        if (_random.Chance(0.7))
        {
            var mentioned = _activity.FamousAccount();
            mentions = [mentioned.Id];
            spaced.Insert(0, "@" + mentioned.Profile.Handle + " ");
        }
        _sink.Post(member, at, spaced.ToString(), mentions: mentions);
    }

    private List<string> CampaignTags()
    {
        var tags = new List<string> { Lexicon.Capitalise(_lexicon.FreshWord(_random)) + Lexicon.Capitalise(_lexicon.FreshWord(_random)) };
        if (_random.Chance(0.5))
        {
            tags.Add(Lexicon.Capitalise(_lexicon.FreshWord(_random)));
        }
        return tags;
    }

    private List<string> CampaignDomains()
    {
        var domains = new List<string>();
        for (var i = _random.Next(1, 2); i > 0; i--)
        {
            domains.Add(_lexicon.FreshWord(_random) + "-" + _lexicon.FreshWord(_random) + _random.Pick(Tlds));
        }
        return domains;
    }

    /// <summary>Template words; null marks a slot each post fills with a word of its own.</summary>
    private List<string?> Template()
    {
        var words = new List<string?>();
        for (var i = _random.Next(6, 14); i > 0; i--)
        {
            words.Add(_random.Chance(0.35) ? null : _lexicon.Word(_random));
        }
        return words;
    }

    private string Fill(List<string?> template) =>
        string.Join(' ', template.Select(w => w ?? _lexicon.Word(_random)));
}
