namespace Cib.Detection.Scoring;

/// <summary>
/// The small dense linear algebra randomized PCA needs, on flat row-major arrays: an l×d matrix
/// stores vector i at [i·d, (i+1)·d). Iterative throughout; nothing here recurses.
/// </summary>
internal static class Matrices
{
    /// <summary>Checks that <paramref name="rows"/> is a non-empty set of equally long, finite rows
    /// and returns their length.</summary>
    public static int CheckRows(IReadOnlyList<double[]> rows, string name)
    {
        ArgumentNullException.ThrowIfNull(rows, name);
        if (rows.Count == 0)
        {
            throw new ArgumentException("at least one row is needed", name);
        }
        var dimension = rows[0]?.Length ?? throw new ArgumentException("row 0 is null", name);
        if (dimension == 0)
        {
            throw new ArgumentException("rows must have at least one feature", name);
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"row {i} is null", name);
            if (row.Length != dimension)
            {
                throw new ArgumentException($"row {i} has {row.Length} features, row 0 has {dimension}", name);
            }
            for (var j = 0; j < dimension; j++)
            {
                if (!double.IsFinite(row[j]))
                {
                    throw new ArgumentException($"row {i}, feature {j} is {row[j]}; features must be finite", name);
                }
            }
        }
        return dimension;
    }

    /// <summary>Σ_j a_j b_j.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var j = 0; j < a.Length; j++)
        {
            sum += a[j] * b[j];
        }
        return sum;
    }

    /// <summary>y ← y + α·x.</summary>
    public static void AddScaled(Span<double> y, double alpha, ReadOnlySpan<double> x)
    {
        for (var j = 0; j < y.Length; j++)
        {
            y[j] += alpha * x[j];
        }
    }

    /// <summary>Fills <paramref name="values"/> with independent standard normal draws
    /// (Box-Muller on <paramref name="random"/>, so the same seed gives the same matrix).</summary>
    public static void FillGaussian(Span<double> values, Random random)
    {
        for (var i = 0; i < values.Length; i += 2)
        {
            // 1 − U lies in (0, 1], so the logarithm is finite.
            var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            var angle = 2.0 * Math.PI * random.NextDouble();
            values[i] = radius * Math.Cos(angle);
            if (i + 1 < values.Length)
            {
                values[i + 1] = radius * Math.Sin(angle);
            }
        }
    }

    /// <summary>
    /// Orthonormalises the <paramref name="count"/> vectors of length <paramref name="dimension"/> in
    /// <paramref name="vectors"/> in place, by modified Gram-Schmidt with one re-orthogonalisation
    /// ("twice is enough": Giraud, Langou, Rozložník 2005). A vector that is (numerically) in the span
    /// of the ones before it, such as the surplus columns of a sketch of low-rank data, is replaced by
    /// a random vector orthogonalised in turn, so the result is always a full orthonormal basis.
    /// Requires count ≤ dimension.
    /// </summary>
    public static void Orthonormalise(double[] vectors, int count, int dimension, Random random)
    {
        // Relative size below which what is left of a vector after removing its projections is
        // rounding noise, not a new direction.
        const double dependent = 1e-10;
        for (var i = 0; i < count; i++)
        {
            var v = vectors.AsSpan(i * dimension, dimension);
            for (var attempt = 0; ; attempt++)
            {
                var before = Math.Sqrt(Dot(v, v));
                for (var pass = 0; pass < 2; pass++)
                {
                    for (var j = 0; j < i; j++)
                    {
                        var u = vectors.AsSpan(j * dimension, dimension);
                        AddScaled(v, -Dot(u, v), u);
                    }
                }
                var after = Math.Sqrt(Dot(v, v));
                if (after > dependent * before && after > 0)
                {
                    var inverse = 1.0 / after;
                    for (var j = 0; j < dimension; j++)
                    {
                        v[j] *= inverse;
                    }
                    break;
                }
                if (attempt == 8)
                {
                    throw new InvalidOperationException("could not complete an orthonormal basis (is count > dimension?)");
                }
                FillGaussian(v, random);
            }
        }
    }

    /// <summary>
    /// Eigen-decomposition of the symmetric n×n matrix <paramref name="a"/> (row-major, destroyed) by
    /// cyclic Jacobi rotations (Golub and Van Loan, Matrix Computations, 4th ed., §8.5). Returns the
    /// eigenvalues in descending order; row k of <paramref name="eigenvectors"/> (n×n) is the unit
    /// eigenvector of eigenvalue k. Jacobi is slow for large n but accurate, and n here is the
    /// sketch size (rank + oversampling), a few dozen at most.
    /// </summary>
    public static double[] SymmetricEigen(double[] a, int n, out double[] eigenvectors)
    {
        // v holds the accumulated rotations; column k is the k-th eigenvector until sorted below.
        var v = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            v[(i * n) + i] = 1;
        }
        for (var sweep = 0; sweep < 100; sweep++)
        {
            var offDiagonal = 0.0;
            var diagonal = 0.0;
            for (var p = 0; p < n; p++)
            {
                diagonal += a[(p * n) + p] * a[(p * n) + p];
                for (var q = p + 1; q < n; q++)
                {
                    offDiagonal += a[(p * n) + q] * a[(p * n) + q];
                }
            }
            if (offDiagonal <= 1e-30 * diagonal || offDiagonal == 0)
            {
                break;
            }
            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    var apq = a[(p * n) + q];
                    if (apq == 0)
                    {
                        continue;
                    }
                    // The rotation that zeroes a_pq: θ = (a_qq − a_pp) / (2 a_pq), t = sign(θ) / (|θ| + √(θ² + 1)),
                    // the smaller root, which keeps the rotation angle at most π/4 (Golub and Van Loan, Alg. 8.5.1).
                    var theta = (a[(q * n) + q] - a[(p * n) + p]) / (2 * apq);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }
                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        // A ← A·J (columns p and q).
                        var akp = a[(k * n) + p];
                        var akq = a[(k * n) + q];
                        a[(k * n) + p] = (c * akp) - (s * akq);
                        a[(k * n) + q] = (s * akp) + (c * akq);
                    }
                    for (var k = 0; k < n; k++)
                    {
                        // A ← Jᵀ·A (rows p and q).
                        var apk = a[(p * n) + k];
                        var aqk = a[(q * n) + k];
                        a[(p * n) + k] = (c * apk) - (s * aqk);
                        a[(q * n) + k] = (s * apk) + (c * aqk);
                    }
                    for (var k = 0; k < n; k++)
                    {
                        var vkp = v[(k * n) + p];
                        var vkq = v[(k * n) + q];
                        v[(k * n) + p] = (c * vkp) - (s * vkq);
                        v[(k * n) + q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = a[(i * n) + i];
        }
        // Stable sort, descending: ties keep their index order, so results are deterministic.
        Array.Sort(order, (x, y) => values[y].CompareTo(values[x]) is var byValue && byValue != 0 ? byValue : x.CompareTo(y));
        var sorted = new double[n];
        eigenvectors = new double[n * n];
        for (var k = 0; k < n; k++)
        {
            sorted[k] = values[order[k]];
            for (var i = 0; i < n; i++)
            {
                eigenvectors[(k * n) + i] = v[(i * n) + order[k]];
            }
        }
        return sorted;
    }
}
