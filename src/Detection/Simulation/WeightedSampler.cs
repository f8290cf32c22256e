namespace Cib.Detection.Simulation;

/// <summary>Draws an index with probability proportional to its weight, by binary search on the
/// cumulative weights: O(n) to build, O(log n) to draw, no per-draw allocation.</summary>
internal sealed class WeightedSampler
{
    private readonly double[] _cumulative;

    public WeightedSampler(IReadOnlyList<double> weights)
    {
        if (weights.Count == 0)
        {
            throw new ArgumentException("a weighted sampler needs at least one weight", nameof(weights));
        }
        _cumulative = new double[weights.Count];
        var sum = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            sum += Math.Max(0, weights[i]);
            _cumulative[i] = sum;
        }
        if (sum <= 0)
        {
            throw new ArgumentException("a weighted sampler needs a positive weight", nameof(weights));
        }
    }

    public int Count => _cumulative.Length;

    /// <summary>Zipf over ranks 0..n−1: weight of rank k is 1 / (k + 1)^s.</summary>
    public static WeightedSampler Zipf(int n, double s)
    {
        var weights = new double[n];
        for (var k = 0; k < n; k++)
        {
            weights[k] = 1.0 / Math.Pow(k + 1, s);
        }
        return new WeightedSampler(weights);
    }

    public int Next(SeededRandom random)
    {
        var x = random.NextDouble() * _cumulative[^1];
        var i = Array.BinarySearch(_cumulative, x);
        // A miss returns the complement of the first larger element, which is the bucket x falls in.
        i = i < 0 ? ~i : i + 1;
        return Math.Min(i, _cumulative.Length - 1);
    }
}
