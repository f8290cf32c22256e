using System.Globalization;

namespace Cib.Detection.Simulation;

/// <summary>The small changes a copy picks up on its way: reworded text, a re-encoded image.</summary>
internal static class ContentVariants
{
    /// <summary>
    /// Replaces each word with probability 1/8 by a word from the lexicon and drops the last word with
    /// probability 1/2 (never below four words): the bigram Jaccard similarity to the original stays
    /// around 0.5 to 0.8, identical-text matching misses it.
    /// </summary>
    public static string Reword(SeededRandom random, Lexicon lexicon, string text)
    {
        var words = text.Split(' ').ToList();
        for (var i = 0; i < words.Count; i++)
        {
            if (random.Chance(0.125))
            {
                words[i] = lexicon.Word(random);
            }
        }
        if (words.Count > 4 && random.Chance(0.5))
        {
            words.RemoveAt(words.Count - 1);
        }
        return string.Join(' ', words);
    }

    /// <summary>A re-encoded copy of an image: its 64-bit perceptual hash with 1 to 4 random bits flipped, as 16 hex digits.</summary>
    public static string Reencode(SeededRandom random, ulong image)
    {
        var flips = random.Next(1, 4);
        var copy = image;
        for (var i = 0; i < flips; i++)
        {
            copy ^= 1UL << random.Next(64);
        }
        if (copy == image)
        {
            copy ^= 1UL << random.Next(64);
        }
        return copy.ToString("x16", CultureInfo.InvariantCulture);
    }
}
