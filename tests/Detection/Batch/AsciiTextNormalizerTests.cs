using System.Text;
using Cib.Detection.Batch;
using Cib.Detection.CoActivity;

namespace Cib.Detection.Tests.Batch;

public class AsciiTextNormalizerTests
{
    private static string Ascii(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var output = new byte[bytes.Length];
        return Encoding.ASCII.GetString(output, 0, AsciiTextNormalizer.Normalize(bytes, output));
    }

    [Fact]
    public void Every_ascii_character_normalises_as_the_text_normalizer_does()
    {
        for (var c = 0; c < 128; c++)
        {
            foreach (var text in new[] { $"{(char)c}", $"a{(char)c}B", $"@{(char)c}x y", $"x @a{(char)c}b  Z{(char)c}" })
            {
                Assert.Equal(TextNormalizer.Normalize(text), Ascii(text));
            }
        }
    }

    [Fact]
    public void Random_ascii_texts_normalise_as_the_text_normalizer_does()
    {
        var random = new Random(5);
        const string Alphabet = "aZ09_@ @@\t\n\r\v\f.,!#x\u001c\u001f\u007f";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 30)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = random.Next(4) == 0 ? (char)random.Next(128) : Alphabet[random.Next(Alphabet.Length)];
            }
            var text = new string(chars);
            Assert.Equal(TextNormalizer.Normalize(text), Ascii(text));
        }
    }
}
