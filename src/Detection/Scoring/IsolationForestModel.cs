using System.Text.Json;

namespace Cib.Detection.Scoring;

/// <summary>
/// A fitted isolation forest (see <see cref="IsolationForest"/>): T trees stored as flat node arrays.
/// Immutable and thread-safe.
/// </summary>
public sealed class IsolationForestModel
{
    /// <summary>The <see cref="IsolationForestModelData.FormatVersion"/> this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private readonly int[] _roots;
    private readonly int[] _feature;
    private readonly double[] _threshold;
    private readonly int[] _left;
    private readonly int[] _size;
    private readonly double _normaliser;

    /// <summary>Checks and wraps the node arrays (see <see cref="IsolationForestModelData"/>).</summary>
    internal IsolationForestModel(int dimension, int sampleSize, int[] roots, int[] feature, double[] threshold, int[] left, int[] size)
    {
        if (dimension < 1)
        {
            throw new ArgumentException($"an isolation forest needs at least 1 feature (got {dimension})");
        }
        if (sampleSize < 2)
        {
            throw new ArgumentException($"the sample size ψ must be at least 2 (got {sampleSize}): c(ψ) normalises the path lengths and c(1) = 0");
        }
        var nodes = feature.Length;
        if (threshold.Length != nodes || left.Length != nodes || size.Length != nodes)
        {
            throw new ArgumentException($"node arrays disagree: {nodes} features, {threshold.Length} thresholds, {left.Length} children, {size.Length} sizes");
        }
        if (roots.Length == 0 || roots[0] != 0)
        {
            throw new ArgumentException("an isolation forest needs at least one tree, the first rooted at node 0");
        }
        for (var t = 0; t < roots.Length; t++)
        {
            var start = roots[t];
            var end = t + 1 < roots.Length ? roots[t + 1] : nodes;
            if (end <= start || end > nodes)
            {
                throw new ArgumentException($"tree {t} spans nodes [{start}, {end}): roots must increase and lie below {nodes}");
            }
            if (size[start] != sampleSize)
            {
                throw new ArgumentException($"tree {t}: root holds {size[start]} rows, expected the sample size {sampleSize}");
            }
            for (var i = start; i < end; i++)
            {
                if (size[i] < 0)
                {
                    throw new ArgumentException($"node {i}: negative size {size[i]}");
                }
                if (feature[i] == -1)
                {
                    if (left[i] != -1)
                    {
                        throw new ArgumentException($"node {i} is external but has child {left[i]}");
                    }
                    continue;
                }
                // Children after their parent and inside the tree: traversal always moves forward
                // and ends, whatever the file held.
                if (feature[i] < 0 || feature[i] >= dimension || !double.IsFinite(threshold[i])
                    || left[i] <= i || left[i] + 1 >= end || size[left[i]] + size[left[i] + 1] != size[i])
                {
                    throw new ArgumentException($"node {i} of tree {t} is inconsistent: feature {feature[i]}, threshold {threshold[i]}, left child {left[i]}, size {size[i]}");
                }
            }
        }
        Dimension = dimension;
        SampleSize = sampleSize;
        _roots = roots;
        _feature = feature;
        _threshold = threshold;
        _left = left;
        _size = size;
        _normaliser = IsolationForest.AveragePathLength(sampleSize);
    }

    /// <summary>Number of features d.</summary>
    public int Dimension { get; }

    /// <summary>ψ, the rows each tree was grown on.</summary>
    public int SampleSize { get; }

    /// <summary>Number of trees T.</summary>
    public int Trees => _roots.Length;

    /// <summary>Total number of nodes over all trees.</summary>
    public int Nodes => _feature.Length;

    /// <summary>
    /// The anomaly score s(x) = 2^(−E[h(x)] / c(ψ)), with E[h(x)] = <see cref="MeanPathLength"/> and c
    /// = <see cref="IsolationForest.AveragePathLength"/>. Near 1: isolated much faster than average,
    /// an anomaly; about 0.5 or below: an ordinary point (Liu, Ting and Zhou 2008, §2).
    /// </summary>
    public double Score(ReadOnlySpan<double> x) => Math.Pow(2, -MeanPathLength(x) / _normaliser);

    /// <summary>
    /// E[h(x)] = (1/T) Σ_t h_t(x), with h_t(x) = e + c(n): e the number of edges from the root of tree t
    /// to the external node x reaches, n the training rows in that node, c(n) standing for the subtree
    /// a deeper tree would have grown there.
    /// </summary>
    public double MeanPathLength(ReadOnlySpan<double> x)
    {
        CheckDimension(x);
        var total = 0.0;
        for (var t = 0; t < _roots.Length; t++)
        {
            var node = _roots[t];
            var edges = 0;
            while (_feature[node] >= 0)
            {
                node = x[_feature[node]] < _threshold[node] ? _left[node] : _left[node] + 1;
                edges++;
            }
            total += edges + IsolationForest.AveragePathLength(_size[node]);
        }
        return total / _roots.Length;
    }

    /// <summary>
    /// Per feature j its share A_j = B_j / Σ_k B_k of the isolation of x (all zeros when Σ_k B_k = 0),
    /// where B_j = (1/T) Σ_t Σ_{splits on j along x's path in tree t} log₂(n_parent / max(1, n_child)):
    /// each split is credited with the halvings of the training sample it achieved on x's side (n the
    /// training rows in a node). A split on a feature where x is extreme cuts a node of m rows to one or
    /// none, log₂ m bits; a split where x is ordinary keeps about half, about 1 bit. Along a path the
    /// terms telescope to log₂(ψ / max(1, n_leaf)). This is our approximation; counting splits per
    /// feature without the weight cannot tell the isolating split from the ones before it.
    /// </summary>
    public double[] Attribution(ReadOnlySpan<double> x)
    {
        CheckDimension(x);
        var bits = new double[Dimension];
        for (var t = 0; t < _roots.Length; t++)
        {
            var node = _roots[t];
            while (_feature[node] >= 0)
            {
                var child = x[_feature[node]] < _threshold[node] ? _left[node] : _left[node] + 1;
                bits[_feature[node]] += Math.Log2((double)_size[node] / Math.Max(1, _size[child]));
                node = child;
            }
        }
        // The 1/T of B_j cancels in the shares.
        var sum = 0.0;
        foreach (var b in bits)
        {
            sum += b;
        }
        for (var j = 0; j < bits.Length; j++)
        {
            bits[j] = sum > 0 ? bits[j] / sum : 0;
        }
        return bits;
    }

    /// <summary>The forest as plain data, for storage.</summary>
    public IsolationForestModelData ToData() =>
        new(CurrentFormatVersion, Dimension, SampleSize, [.. _roots], [.. _feature], [.. _threshold], [.. _left], [.. _size]);

    /// <summary>Rebuilds a forest from stored data, checking every node.</summary>
    /// <exception cref="ArgumentException">Unknown format version or inconsistent data.</exception>
    public static IsolationForestModel FromData(IsolationForestModelData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FormatVersion != CurrentFormatVersion)
        {
            throw new ArgumentException($"isolation forest format version {data.FormatVersion} is not supported (this code reads {CurrentFormatVersion})");
        }
        if (data.TreeRoots is null || data.Feature is null || data.Threshold is null || data.Left is null || data.Size is null)
        {
            throw new ArgumentException("isolation forest data lacks tree_roots, feature, threshold, left or size");
        }
        return new IsolationForestModel(data.Dimension, data.SampleSize, [.. data.TreeRoots], [.. data.Feature], [.. data.Threshold], [.. data.Left], [.. data.Size]);
    }

    /// <summary>The forest as JSON (<see cref="IsolationForestModelData"/>).</summary>
    public string ToJson() => JsonSerializer.Serialize(ToData(), JsonOptions);

    /// <summary>Reads a forest written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not an isolation forest's JSON.</exception>
    /// <exception cref="ArgumentException">The forest it holds is inconsistent.</exception>
    public static IsolationForestModel FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var data = JsonSerializer.Deserialize<IsolationForestModelData>(json, JsonOptions)
            ?? throw new JsonException("isolation forest JSON is null");
        return FromData(data);
    }

    private void CheckDimension(ReadOnlySpan<double> x)
    {
        if (x.Length != Dimension)
        {
            throw new ArgumentException($"expected {Dimension} features (got {x.Length})", nameof(x));
        }
    }
}
