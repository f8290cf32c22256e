using System.Globalization;
using System.Text;

namespace Cib.Detection.Simulation;

/// <summary>
/// URLs that organic accounts share: a few domains carry most links and a few pages are shared over
/// and over (both Zipf), the rest are one-offs; some copies carry tracking parameters, as links
/// copied from apps do.
/// </summary>
internal sealed class LinkPool
{
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyz0123456789";

    private static readonly string[] TrackingSuffixes =
        ["?utm_source=share&utm_medium=social", "?utm_source=app", "?ref=feed", "?s=21", "?s=09", "?share_id="];

    private readonly SeededRandom _random;
    private readonly Lexicon _lexicon;
    private readonly WeightedSampler _domainRanks;
    private readonly string[] _popular;
    private readonly WeightedSampler _popularRanks;

    public LinkPool(SeededRandom random, Lexicon lexicon)
    {
        _random = random;
        _lexicon = lexicon;
        _domainRanks = WeightedSampler.Zipf(lexicon.Domains.Length, 1.2);
        _popular = new string[4000];
        for (var i = 0; i < _popular.Length; i++)
        {
            _popular[i] = Fresh();
        }
        _popularRanks = WeightedSampler.Zipf(_popular.Length, 1.0);
    }

    /// <summary>A URL as an organic account would paste it.</summary>
    public string Share()
    {
        var url = _random.Chance(0.55) ? _popular[_popularRanks.Next(_random)] : Fresh();
        return _random.Chance(0.2) ? WithTracking(url) : url;
    }

    /// <summary>A new article on one of the biggest domains, for breaking news.</summary>
    public string NewsArticle() =>
        $"https://{_lexicon.Domains[_random.Next(Math.Min(5, _lexicon.Domains.Length))]}/news/{_lexicon.Word(_random)}-{_lexicon.Word(_random)}-{Token(7)}";

    public string WithTracking(string url)
    {
        var suffix = _random.Pick(TrackingSuffixes);
        return suffix.EndsWith('=') ? url + suffix + Token(10) : url + suffix;
    }

    /// <summary>A random URL-safe token, so that fresh URLs never collide.</summary>
    public string Token(int length)
    {
        var token = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            token.Append(Alphabet[_random.Next(Alphabet.Length)]);
        }
        return token.ToString();
    }

    private string Fresh()
    {
        var domain = _lexicon.Domains[_domainRanks.Next(_random)];
        return _random.Next(3) switch
        {
            0 => $"https://{domain}/{_lexicon.Word(_random)}/{_lexicon.Word(_random)}-{_lexicon.Word(_random)}-{Token(6)}",
            1 => $"https://{domain}/{_random.Next(2019, 2025).ToString(CultureInfo.InvariantCulture)}/{_random.Next(1, 12):00}/{_lexicon.Word(_random)}-{Token(8)}",
            _ => $"https://{domain}/v/{Token(11)}",
        };
    }
}
