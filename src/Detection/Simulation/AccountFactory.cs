using System.Globalization;
using Cib.Detection.Signals;

namespace Cib.Detection.Simulation;

/// <summary>
/// Draws accounts: ids that reveal nothing, handles and creation dates shaped like real ones, and the
/// heavy-tailed rates and reach observed on real platforms.
/// </summary>
internal sealed class AccountFactory
{
    // The limit most platforms put on handles.
    private const int MaxHandleLength = 15;

    private static readonly double[] BaseActionMix = [0.38, 0.22, 0.20, 0.12, 0.08];

    private readonly SeededRandom _random;
    private readonly Lexicon _lexicon;
    private readonly DateTimeOffset _start;
    private readonly WeightedSampler _tagRanks;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly HashSet<string> _handles = new(StringComparer.OrdinalIgnoreCase);

    public AccountFactory(SeededRandom random, Lexicon lexicon, DateTimeOffset start)
    {
        _random = random;
        _lexicon = lexicon;
        _start = start;
        _tagRanks = WeightedSampler.Zipf(lexicon.Hashtags.Length, 1.0);
    }

    public SimulatedAccount Organic()
    {
        var r = _random;
        var timeZone = r.NextDouble() switch
        {
            // Most of a community shares a few time zones, which is what makes the daily rhythm visible
            // in the aggregate; the rest are spread around the world.
            < 0.55 => (double)r.Pick([0, 1, 1, 1, 2]),
            < 0.85 => r.Pick([-8, -6, -5, -5, -5, -4]),
            _ => r.Next(-11, 12),
        };
        var created = _start - TimeSpan.FromDays(20 + 5800 * Math.Pow(r.NextDouble(), 1.3)) - TimeSpan.FromSeconds(r.Next(86_400));
        return Behaviour(new AccountProfile(Truncate(created), OrganicHandle(), OrganicDisplayName()), timeZone, -1);
    }

    /// <summary>A campaign member: ordinary behaviour (its camouflage), but created in a burst with a
    /// name-plus-digits handle, the pattern platform takedown reports describe.</summary>
    public SimulatedAccount CampaignMember(int campaign, DateTimeOffset createdBurst, double timeZone)
    {
        var r = _random;
        var created = createdBurst + TimeSpan.FromSeconds(r.Next(3 * 86_400));
        string handle;
        do
        {
            var stem = r.Chance(0.7) ? r.Pick(_lexicon.GivenNames).ToLowerInvariant() : r.Pick(_lexicon.GivenNames) + r.Pick(_lexicon.Surnames);
            var digits = Digits(r.Next(6, 8));
            handle = stem[..Math.Min(stem.Length, MaxHandleLength - digits.Length)] + digits;
        }
        while (!_handles.Add(handle));
        var display = r.Pick(_lexicon.GivenNames) + " " + r.Pick(_lexicon.Surnames);
        return Behaviour(new AccountProfile(Truncate(created), handle, display), timeZone, campaign);
    }

    private SimulatedAccount Behaviour(AccountProfile profile, double timeZone, int campaign)
    {
        var r = _random;
        var mix = new double[BaseActionMix.Length];
        var sum = 0.0;
        for (var i = 0; i < mix.Length; i++)
        {
            sum += BaseActionMix[i] * r.LogNormal(1, 0.5);
            mix[i] = sum;
        }
        for (var i = 0; i < mix.Length; i++)
        {
            mix[i] /= sum;
        }
        var interests = new int[r.Next(2, 5)];
        for (var i = 0; i < interests.Length; i++)
        {
            interests[i] = _tagRanks.Next(r);
        }
        return new SimulatedAccount
        {
            Id = NewId(),
            Profile = profile,
            // Log-normal with σ = 1.35: most accounts act a few to a few dozen times a day, the top
            // percent hundreds of times, and they produce a sixth of all activity.
            DailyRate = Math.Clamp(r.LogNormal(14, 1.35), 0.3, 900),
            TimeZoneHours = timeZone,
            PeakHour = Math.Clamp(20.5 + 2 * r.Normal(), 8, 23.5),
            Amplitude = r.Uniform(0.55, 0.95),
            Fame = Math.Min(r.Pareto(1.25), 1000),
            ActionMix = mix,
            HashtagProbability = r.Uniform(0.05, 0.5),
            LinkProbability = 0.02 + 0.3 * Math.Pow(r.NextDouble(), 2),
            Interests = interests,
            Campaign = campaign,
        };
    }

    private string NewId()
    {
        while (true)
        {
            var id = "u" + _random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
            if (_ids.Add(id))
            {
                return id;
            }
        }
    }

    private string OrganicHandle()
    {
        var r = _random;
        while (true)
        {
            var word = _lexicon.Words[r.Next(_lexicon.Words.Length)];
            var other = _lexicon.Words[r.Next(_lexicon.Words.Length)];
            var given = r.Pick(_lexicon.GivenNames);
            var surname = r.Pick(_lexicon.Surnames);
            var handle = r.Next(10) switch
            {
                0 => word,
                1 => word + "_" + other,
                2 => Lexicon.Capitalise(word) + Lexicon.Capitalise(other),
                3 => given.ToLowerInvariant() + r.Next(1960, 2010).ToString(CultureInfo.InvariantCulture),
                4 => given[0] + surname,
                5 => "the" + Lexicon.Capitalise(word),
                6 => word + Digits(2),
                7 => given + "_" + surname,
                8 => "x" + word + "x",
                // Some organic users keep the name-plus-digits handle the platform suggested, so the
                // pattern alone cannot convict an account.
                _ => given.ToLowerInvariant() + Digits(r.Next(4, 8)),
            };
            if (handle.Length > MaxHandleLength)
            {
                handle = handle[..MaxHandleLength];
            }
            if (_handles.Add(handle))
            {
                return handle;
            }
        }
    }

    private string? OrganicDisplayName()
    {
        var r = _random;
        return r.Next(10) switch
        {
            < 6 => r.Pick(_lexicon.GivenNames) + " " + r.Pick(_lexicon.Surnames),
            < 8 => r.Pick(_lexicon.GivenNames),
            8 => Lexicon.Capitalise(_lexicon.Word(r)) + " " + Lexicon.Capitalise(_lexicon.Word(r)),
            _ => null,
        };
    }

    private string Digits(int count)
    {
        var digits = new char[count];
        for (var i = 0; i < count; i++)
        {
            digits[i] = (char)('0' + _random.Next(10));
        }
        return new string(digits);
    }

    private static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
