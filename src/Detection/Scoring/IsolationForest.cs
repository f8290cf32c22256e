namespace Cib.Detection.Scoring;

/// <summary>
/// Fits an isolation forest (Liu, Ting and Zhou, "Isolation Forest", ICDM 2008): each tree is grown
/// on ψ rows drawn without replacement, splitting on a random feature at a value drawn uniformly
/// between that feature's minimum and maximum in the node, until a node holds one row or reaches the
/// height limit ⌈log₂ ψ⌉. Anomalies are isolated by few splits, so their paths are short.
/// </summary>
/// <remarks>
/// One departure from the paper: the split feature is drawn among the features that are not constant
/// in the node (as scikit-learn's ExtraTreeRegressor splitter does), so no depth is spent on a split
/// that separates nothing; a node where every feature is constant becomes an external node. Trees are
/// built iteratively (an explicit stack) into flat arrays; nothing recurses.
/// A limit to know when scoring points that were not fitted: a tree's splits lie within the range of
/// its ψ rows, so a point beyond that range follows the most extreme row the tree saw, however far
/// beyond it lies. Its score therefore saturates at about that of the most extreme fitted rows;
/// distance beyond the reference is better measured by an unbounded score such as the PCA residual
/// norm (see <see cref="EnsembleScorer"/>).
/// </remarks>
public static class IsolationForest
{
    /// <summary>Trees per forest; the paper finds path lengths converge well before 100.</summary>
    public const int DefaultTrees = 100;

    /// <summary>Rows per tree ψ; the paper's default, enough for most data sets.</summary>
    public const int DefaultSampleSize = 256;

    /// <summary>The Euler-Mascheroni constant γ, as H(i) ≈ ln(i) + γ uses it.</summary>
    public const double EulerGamma = 0.5772156649;

    /// <summary>
    /// c(n), the average path length of an unsuccessful search in a binary search tree of n keys, used
    /// to normalise path lengths and to stand for the subtree below an external node of n rows:
    /// c(n) = 2H(n − 1) − 2(n − 1)/n for n &gt; 2, with H(i) ≈ ln(i) + γ; c(2) = 1; c(n) = 0 for n ≤ 1.
    /// The case c(2) = 1 follows Liu, Ting and Zhou, "Isolation-Based Anomaly Detection", TKDD 6(1),
    /// 2012 (two rows are separated by exactly one split); the general formula would give 2γ − 1 there.
    /// </summary>
    public static double AveragePathLength(int n)
    {
        if (n <= 1)
        {
            return 0;
        }
        if (n == 2)
        {
            return 1;
        }
        return (2.0 * (Math.Log(n - 1) + EulerGamma)) - (2.0 * (n - 1) / n);
    }

    /// <summary>
    /// Fits <paramref name="trees"/> isolation trees to <paramref name="rows"/> (at least 2 rows of d
    /// finite features), each on ψ = min(<paramref name="sampleSize"/>, n) rows. The same rows and
    /// seed give the same forest.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 2 rows, ragged or non-finite rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">trees &lt; 1 or sampleSize &lt; 2.</exception>
    public static IsolationForestModel Fit(IReadOnlyList<double[]> rows, int trees = DefaultTrees, int sampleSize = DefaultSampleSize, int seed = 0)
    {
        var d = Matrices.CheckRows(rows, nameof(rows));
        if (rows.Count < 2)
        {
            throw new ArgumentException($"an isolation forest needs at least 2 rows (got {rows.Count})", nameof(rows));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(trees, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 2);

        var n = rows.Count;
        var psi = Math.Min(sampleSize, n);
        var heightLimit = (int)Math.Ceiling(Math.Log2(psi));
        // A tree of ψ rows whose splits all separate rows has at most 2ψ − 1 nodes. A threshold drawn
        // exactly at the minimum (probability about 2⁻⁵³) leaves the left child empty and can exceed
        // that, so the arrays still grow when needed.
        var capacity = trees * ((2 * psi) - 1);
        var feature = new int[capacity];
        var threshold = new double[capacity];
        var left = new int[capacity];
        var size = new int[capacity];
        var roots = new int[trees];
        var nodeCount = 0;

        var random = new Random(seed);
        var permutation = new int[n];
        for (var i = 0; i < n; i++)
        {
            permutation[i] = i;
        }
        var sample = new int[psi];
        var low = new double[d];
        var high = new double[d];
        var splittable = new int[d];
        var stack = new Stack<(int Node, int Start, int End, int Depth)>();

        for (var t = 0; t < trees; t++)
        {
            // Partial Fisher-Yates: the first ψ entries become a uniform random ψ-subset whatever order
            // the permutation was left in by the previous tree.
            for (var i = 0; i < psi; i++)
            {
                var j = random.Next(i, n);
                (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
                sample[i] = permutation[i];
            }
            var root = nodeCount++;
            roots[t] = root;
            size[root] = psi;
            stack.Push((root, 0, psi, 0));
            while (stack.Count > 0)
            {
                var (node, start, end, depth) = stack.Pop();
                feature[node] = -1;
                left[node] = -1;
                if (depth >= heightLimit || end - start <= 1)
                {
                    continue;
                }
                Array.Fill(low, double.PositiveInfinity);
                Array.Fill(high, double.NegativeInfinity);
                for (var i = start; i < end; i++)
                {
                    var row = rows[sample[i]];
                    for (var j = 0; j < d; j++)
                    {
                        low[j] = Math.Min(low[j], row[j]);
                        high[j] = Math.Max(high[j], row[j]);
                    }
                }
                var candidates = 0;
                for (var j = 0; j < d; j++)
                {
                    if (high[j] > low[j])
                    {
                        splittable[candidates++] = j;
                    }
                }
                if (candidates == 0)
                {
                    continue;
                }
                var q = splittable[random.Next(candidates)];
                var p = low[q] + (random.NextDouble() * (high[q] - low[q]));
                // Partition sample[start, end) in place: x_q < p first.
                var boundary = start;
                for (var i = start; i < end; i++)
                {
                    if (rows[sample[i]][q] < p)
                    {
                        (sample[i], sample[boundary]) = (sample[boundary], sample[i]);
                        boundary++;
                    }
                }
                if (nodeCount + 2 > capacity)
                {
                    capacity *= 2;
                    Array.Resize(ref feature, capacity);
                    Array.Resize(ref threshold, capacity);
                    Array.Resize(ref left, capacity);
                    Array.Resize(ref size, capacity);
                }
                var child = nodeCount;
                nodeCount += 2;
                feature[node] = q;
                threshold[node] = p;
                left[node] = child;
                size[child] = boundary - start;
                size[child + 1] = end - boundary;
                stack.Push((child + 1, boundary, end, depth + 1));
                stack.Push((child, start, boundary, depth + 1));
            }
        }
        return new IsolationForestModel(d, psi, roots, feature[..nodeCount], threshold[..nodeCount], left[..nodeCount], size[..nodeCount]);
    }
}
