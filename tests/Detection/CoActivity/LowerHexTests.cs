using System.Globalization;
using Cib.Detection.CoActivity;

namespace Cib.Detection.Tests.CoActivity;

public class LowerHexTests
{
    private static IEnumerable<ulong> Values()
    {
        var random = new Random(11);
        yield return 0;
        yield return ulong.MaxValue;
        yield return 0x0123_4567_89AB_CDEFUL;
        for (var i = 0; i < 2000; i++)
        {
            yield return (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
        }
    }

    [Fact]
    public void Hand_written_hex_is_the_general_formatters_x16()
    {
        foreach (var v in Values())
        {
            Assert.Equal(v.ToString("x16", CultureInfo.InvariantCulture), LowerHex.Of(v));
        }
    }

    [Fact]
    public void Band_keys_are_the_band_in_hex_a_dot_and_twelve_hex_digits()
    {
        var random = new Random(12);
        var signature = new uint[TextSketch.Slots];
        for (var i = 0; i < 500; i++)
        {
            for (var j = 0; j < signature.Length; j++)
            {
                signature[j] = (uint)random.NextInt64(0, 1L << 32);
            }
            for (var band = 0; band < TextSketch.Bands; band++)
            {
                var key = TextSketch.BandKey(signature, band);
                Assert.Matches("^[0-9a-f]\\.[0-9a-f]{12}$", key);
                Assert.Equal(band.ToString("x", CultureInfo.InvariantCulture), key[..1]);
            }
        }
    }
}
