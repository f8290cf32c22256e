using Cib.Detection.Batch;

namespace Cib.Detection.Tests.Batch;

public class RadixSortTests
{
    [Theory]
    [InlineData(0, 11)]
    [InlineData(100, 20)]
    [InlineData(5_000, 1)]
    [InlineData(5_000, 22)]
    [InlineData(20_000, 40)]
    public void Radix_sort_orders_keys_as_a_comparison_sort_does(int length, int bits)
    {
        var random = new Random(length + bits);
        var keys = new ulong[length];
        for (var i = 0; i < length; i++)
        {
            keys[i] = (ulong)random.NextInt64() & ((1UL << bits) - 1);
        }
        var expected = keys.Order().ToArray();
        RadixSort.Sort(keys, new ulong[length], bits);
        Assert.Equal(expected, keys);
    }

    [Fact]
    public void Sorting_by_the_high_bits_brings_equal_high_bits_together_in_input_order()
    {
        var random = new Random(3);
        var keys = Enumerable.Range(0, 3_000).Select(_ => ((ulong)random.Next(50) << 40) | (uint)random.Next()).ToArray();
        var expected = keys.OrderBy(k => k >> 31).ToArray();
        RadixSort.Sort(keys, new ulong[keys.Length], 31, 64);
        Assert.Equal(expected, keys);
    }
}
