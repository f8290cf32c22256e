using System.Globalization;
using Cib.Detection.Signals;

namespace Cib.Detection.Simulation;

/// <summary>
/// Collects signals from every stage, gives them ids that reveal neither stage nor role, and hands
/// them back ordered by time. Times are seconds since the start of the span.
/// </summary>
internal sealed class SignalSink
{
    private readonly SeededRandom _random;
    private readonly DateTimeOffset _start;
    private readonly double _durationSeconds;
    private readonly HashSet<long> _numbers = [];
    private readonly List<Signal> _signals = new(1 << 16);

    public SignalSink(SeededRandom random, DateTimeOffset start, TimeSpan duration)
    {
        _random = random;
        _start = start;
        _durationSeconds = duration.TotalSeconds;
    }

    public double DurationSeconds => _durationSeconds;

    public int Count => _signals.Count;

    /// <summary>
    /// A fresh id: a prefix naming the kind of record and a random number. Random rather than
    /// sequential because stages run one after another, so sequential ids would tell campaign posts
    /// (made last) from organic ones.
    /// </summary>
    public string NewId(char prefix)
    {
        long number;
        do
        {
            number = (long)(_random.NextUInt64() % 9_000_000_000UL) + 1_000_000_000L;
        }
        while (!_numbers.Add(number));
        return prefix + number.ToString(CultureInfo.InvariantCulture);
    }

    public DateTimeOffset TimeAt(double seconds) =>
        _start + TimeSpan.FromMilliseconds(Math.Round(seconds * 1000));

    /// <summary>Records an action; actions outside the span are dropped when the result is built.</summary>
    public void Add(string id, SimulatedAccount account, SignalKind kind, string target, double seconds, string? text = null) =>
        _signals.Add(new Signal(id, account.Id, kind, target, TimeAt(seconds), text));

    /// <summary>
    /// Records a post and the link, hashtag and mention signals it carries, with ids derived from the
    /// post id ("p123#l0"), at the same instant. Returns the post id.
    /// </summary>
    public string Post(SimulatedAccount author, double seconds, string text,
        IReadOnlyList<string>? tags = null, IReadOnlyList<string>? urls = null, IReadOnlyList<string>? mentions = null, string? fingerprint = null)
    {
        var id = NewId('p');
        var time = TimeAt(seconds);
        _signals.Add(new Signal(id, author.Id, SignalKind.Post, id, time, text, fingerprint));
        AddDerived(id, "#l", author.Id, SignalKind.Link, urls, time);
        AddDerived(id, "#h", author.Id, SignalKind.Hashtag, tags, time);
        AddDerived(id, "#m", author.Id, SignalKind.Mention, mentions, time);
        return id;
    }

    /// <summary>
    /// Signals inside the span, ordered by time; ties keep the order they were recorded in, so a post
    /// precedes its links and tags. Each account's first signal carries its profile.
    /// </summary>
    public List<Signal> Build(IReadOnlyDictionary<string, AccountProfile> profiles)
    {
        var endTicks = TimeAt(_durationSeconds).UtcTicks;
        var startTicks = _start.UtcTicks;
        var keys = new List<(long Ticks, int Index)>(_signals.Count);
        for (var i = 0; i < _signals.Count; i++)
        {
            var ticks = _signals[i].Timestamp.UtcTicks;
            if (ticks >= startTicks && ticks < endTicks)
            {
                keys.Add((ticks, i));
            }
        }
        keys.Sort();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<Signal>(keys.Count);
        foreach (var (_, index) in keys)
        {
            var signal = _signals[index];
            if (seen.Add(signal.Account) && profiles.TryGetValue(signal.Account, out var profile))
            {
                signal = signal with { Profile = profile };
            }
            result.Add(signal);
        }
        return result;
    }

    private void AddDerived(string postId, string infix, string account, SignalKind kind, IReadOnlyList<string>? targets, DateTimeOffset time)
    {
        if (targets is null)
        {
            return;
        }
        for (var i = 0; i < targets.Count; i++)
        {
            _signals.Add(new Signal(postId + infix + i.ToString(CultureInfo.InvariantCulture), account, kind, targets[i], time));
        }
    }
}
