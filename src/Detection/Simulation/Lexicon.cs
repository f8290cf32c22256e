using System.Text;

namespace Cib.Detection.Simulation;

/// <summary>
/// Synthetic language of the simulated platform: words, names, hashtags and web domains built from
/// syllables. Synthetic rather than real so that no text, name or site in the data belongs to anyone,
/// and the word frequencies follow Zipf's law as natural language does.
/// </summary>
internal sealed class Lexicon
{
    private static readonly string[] Onsets =
        ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
         "br", "ch", "cl", "dr", "fl", "gr", "kr", "pl", "sh", "st", "th", "tr", ""];

    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou", "y"];

    private static readonly string[] Codas = ["", "", "", "n", "r", "s", "l", "t", "m", "x", "nd", "rk"];

    private static readonly string[] Tlds = [".com", ".com", ".com", ".net", ".org", ".io", ".co", ".news", ".tv"];

    private readonly WeightedSampler _wordRanks;

    // Every word, name and tag handed out so far; fresh campaign words must avoid all of them.
    private readonly HashSet<string> _taken;

    public Lexicon(SeededRandom random, int wordCount = 4000)
    {
        Words = DistinctWords(random, wordCount, 1, 4, []);
        _wordRanks = WeightedSampler.Zipf(Words.Length, 1.05);
        var taken = new HashSet<string>(Words, StringComparer.Ordinal);
        GivenNames = DistinctWords(random, 400, 2, 3, taken).Select(Capitalise).ToArray();
        Surnames = DistinctWords(random, 600, 2, 4, taken).Select(Capitalise).ToArray();
        Hashtags = new string[800];
        for (var i = 0; i < Hashtags.Length; i++)
        {
            // Tags reuse ordinary words, mostly frequent ones, as real topic tags do.
            var first = Words[_wordRanks.Next(random)];
            Hashtags[i] = random.Chance(0.4) ? first : Capitalise(first) + Capitalise(Words[random.Next(Words.Length)]);
        }
        Hashtags = Hashtags.Distinct(StringComparer.Ordinal).ToArray();
        Domains = new string[400];
        for (var i = 0; i < Domains.Length; i++)
        {
            var name = random.Chance(0.5) ? Words[random.Next(600)] : Words[random.Next(Words.Length)] + Words[random.Next(600)];
            Domains[i] = name + Tlds[random.Next(Tlds.Length)];
        }
        Domains = Domains.Distinct(StringComparer.Ordinal).ToArray();
        _taken = taken;
    }

    /// <summary>Vocabulary in rank order: index 0 is the most frequent word.</summary>
    public string[] Words { get; }

    public string[] GivenNames { get; }

    public string[] Surnames { get; }

    /// <summary>Organic topic tags without '#'.</summary>
    public string[] Hashtags { get; }

    /// <summary>Organic web domains; callers rank them so that a few get most links.</summary>
    public string[] Domains { get; }

    public string Word(SeededRandom random) => Words[_wordRanks.Next(random)];

    /// <summary>A word no organic text uses, for campaign hashtags and domains that must be new.</summary>
    public string FreshWord(SeededRandom random)
    {
        while (true)
        {
            var word = MakeWord(random, 2, 4);
            if (_taken.Add(word))
            {
                return word;
            }
        }
    }

    /// <summary>Words joined by single spaces, with an optional capital and closing mark.</summary>
    public string Sentence(SeededRandom random, int words)
    {
        var text = new StringBuilder(words * 7);
        for (var i = 0; i < words; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }
            text.Append(Word(random));
        }
        if (random.Chance(0.5) && text.Length > 0)
        {
            text[0] = char.ToUpperInvariant(text[0]);
        }
        var mark = random.Next(6);
        if (mark < 3)
        {
            text.Append(".!?"[mark]);
        }
        return text.ToString();
    }

    public static string Capitalise(string word) =>
        word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    private static string[] DistinctWords(SeededRandom random, int count, int minSyllables, int maxSyllables, HashSet<string> exclude)
    {
        var seen = new HashSet<string>(exclude, StringComparer.Ordinal);
        var words = new List<string>(count);
        while (words.Count < count)
        {
            var word = MakeWord(random, minSyllables, maxSyllables);
            // One-letter words would crowd the top ranks, since rank follows length.
            if (word.Length > 1 && seen.Add(word))
            {
                words.Add(word);
            }
        }
        // Short words are the frequent ones in natural language, so rank follows length (the sort is stable).
        return words.OrderBy(w => w.Length).ToArray();
    }

    private static string MakeWord(SeededRandom random, int minSyllables, int maxSyllables)
    {
        var syllables = random.Next(minSyllables, maxSyllables);
        var word = new StringBuilder(12);
        for (var s = 0; s < syllables; s++)
        {
            word.Append(random.Pick(Onsets)).Append(random.Pick(Vowels));
        }
        word.Append(random.Pick(Codas));
        return word.ToString();
    }
}
