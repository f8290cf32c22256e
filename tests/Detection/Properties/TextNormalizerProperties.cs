using Cib.Detection.CoActivity;
using FsCheck;
using FsCheck.Fluent;

namespace Cib.Detection.Tests.Properties;

public sealed class TextNormalizerProperties
{
    private static readonly Gen<string> Posts = Gen.ListOf(Gen.Frequency(
        (6, Generators.Scalar(controls: true)),
        (2, Gen.Elements(" ", "  ", "\t", "\n", "\u00A0", "\u2003", "@", "@@", "@user_1", "@Ünï", "a@b", "_", "\u3000"))))
        .Select(string.Concat);

    private static readonly Gen<string> AsciiPosts = Gen.ListOf(Gen.Frequency(
        (6, Gen.Choose(0, 0x7F).Select(c => ((char)c).ToString())),
        (2, Gen.Elements(" ", "@", "@Bob_9", "\t\r\n", "EMAIL@HOST")))).Select(string.Concat);

    [Fact]
    public void Normalising_twice_is_normalising_once()
    {
        Generators.Holds(Posts.ToArbitrary(), s => TextNormalizer.Normalize(TextNormalizer.Normalize(s)) == TextNormalizer.Normalize(s), tests: 1000);
    }

    [Fact]
    public void Output_has_no_double_spaces_no_edge_whitespace_and_no_mentions()
    {
        Generators.Holds(Posts.ToArbitrary(), s =>
        {
            var n = TextNormalizer.Normalize(s);
            var mention = false;
            for (var i = 0; i + 1 < n.Length; i++)
            {
                mention |= n[i] == '@' && (char.IsLetterOrDigit(n[i + 1]) || n[i + 1] == '_');
            }
            return !n.Contains("  ", StringComparison.Ordinal)
                && n.Trim() == n
                && !n.Any(c => char.IsWhiteSpace(c) && c != ' ')
                && !mention;
        }, tests: 1000);
    }

    [Fact]
    public void Ascii_text_normalises_the_same_whatever_its_case()
    {
        Generators.Holds(AsciiPosts.ToArbitrary(), s => TextNormalizer.Normalize(s.ToUpperInvariant()) == TextNormalizer.Normalize(s), tests: 1000);
    }
}
