namespace Cib.Detection.Simulation;

/// <summary>
/// xoshiro256** generator. Ours rather than <see cref="Random"/> because the simulation must give
/// the same signals for the same seed on every runtime version, which <see cref="Random"/> does not
/// promise, and because independent streams per stage keep a change in one stage from reshuffling
/// every other stage.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SeededRandom(int seed, ulong stream)
    {
        // SplitMix64 spreads a small seed over all 256 bits of state, as the xoshiro authors advise.
        var x = unchecked(((ulong)(uint)seed << 32) ^ (stream * 0x9E3779B97F4A7C15UL));
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = BitRotate(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitRotate(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n); the bias of the multiply-shift method is below 2^-32 for any int n.</summary>
    public int Next(int n) => (int)(((NextUInt64() >> 32) * (ulong)n) >> 32);

    /// <summary>Uniform in [min, max] inclusive.</summary>
    public int Next(int min, int max) => min + Next(max - min + 1);

    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal by Box–Muller; the second variate is dropped to keep no hidden state.</summary>
    public double Normal()
    {
        var u = 1.0 - NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * NextDouble());
    }

    /// <summary>Log-normal with the given median: median · e^(σ·Z).</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    /// <summary>Exponential with the given mean: −mean · ln(1 − U).</summary>
    public double Exponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    /// <summary>Pareto with scale 1 and shape α: (1 − U)^(−1/α), so P(X &gt; x) = x^(−α).</summary>
    public double Pareto(double alpha) => Math.Pow(1.0 - NextDouble(), -1.0 / alpha);

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Fisher–Yates, in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>k distinct items of <paramref name="pool"/>, by a partial Fisher–Yates on a copy.</summary>
    public List<T> Sample<T>(IReadOnlyList<T> pool, int k)
    {
        var copy = pool.ToArray();
        k = Math.Min(k, copy.Length);
        var result = new List<T>(k);
        for (var i = 0; i < k; i++)
        {
            var j = i + Next(copy.Length - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
            result.Add(copy[i]);
        }
        return result;
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong BitRotate(ulong x, int k) => (x << k) | (x >> (64 - k));
}
