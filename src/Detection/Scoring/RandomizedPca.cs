namespace Cib.Detection.Scoring;

/// <summary>
/// Fits a rank-k principal subspace by the randomized range finder of Halko, Martinsson and Tropp,
/// "Finding structure with randomness", SIAM Review 53(2), 2011 (Algorithms 4.1 and 4.4, then the
/// Rayleigh-Ritz step of §5), in the form ML.NET's RandomizedPcaTrainer uses: the sketch is taken of
/// the covariance matrix C = (1/n) Σ_i (x_i − μ)(x_i − μ)ᵀ, which is never formed; each product C·Ω
/// is one pass over the rows.
/// </summary>
/// <remarks>
/// Steps, with l = min(k + oversampling, d):
/// Ω ← d×l standard normal (seeded); Y ← C·Ω; Q ← orth(Y);
/// repeat q times (power iterations): Q ← orth(C·Q);
/// B ← Qᵀ·C·Q (l×l, symmetric); B = Z·Λ·Zᵀ; components V ← Q·Z, first k columns by eigenvalue.
/// ML.NET (dotnet/machinelearning, src/Microsoft.ML.PCA/PcaTrainer.cs, TrainCore) does no power
/// iterations and takes the eigenvectors of BᵀB for B = C·Q; <c>powerIterations: 0</c> matches its
/// number of passes. Power iterations sharpen the subspace when the spectrum decays slowly
/// (Halko et al. §4.5) at one pass each; the Rayleigh-Ritz form gives orthonormal components and
/// the variances λ directly.
/// </remarks>
public static class RandomizedPca
{
    /// <summary>
    /// Fits a rank-<paramref name="rank"/> PCA model to <paramref name="rows"/> (n rows of d finite
    /// features). With <paramref name="ensureZeroMean"/> the data are centred on their mean (as
    /// ML.NET's <c>ensureZeroMean</c>/<c>center</c>); otherwise μ = 0. The same rows and seed give
    /// the same model.
    /// </summary>
    /// <exception cref="ArgumentException">Rows empty, ragged or not finite, or rank not in [1, d].</exception>
    public static PcaModel Fit(IReadOnlyList<double[]> rows, int rank, int oversampling = 20, int powerIterations = 3,
        bool ensureZeroMean = true, int seed = 0)
    {
        var d = Matrices.CheckRows(rows, nameof(rows));
        if (rank < 1 || rank > d)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be between 1 and the number of features ({d})");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(oversampling);
        ArgumentOutOfRangeException.ThrowIfNegative(powerIterations);

        var mean = new double[d];
        if (ensureZeroMean)
        {
            foreach (var row in rows)
            {
                Matrices.AddScaled(mean, 1, row);
            }
            for (var j = 0; j < d; j++)
            {
                mean[j] /= rows.Count;
            }
        }

        var l = Math.Min(rank + oversampling, d);
        var random = new Random(seed);
        var q = new double[l * d];
        Matrices.FillGaussian(q, random);
        var y = new double[l * d];
        var scratch = new double[d];

        MultiplyByCovariance(rows, mean, q, l, y, scratch);
        (q, y) = (y, q);
        Matrices.Orthonormalise(q, l, d, random);
        for (var iteration = 0; iteration < powerIterations; iteration++)
        {
            MultiplyByCovariance(rows, mean, q, l, y, scratch);
            (q, y) = (y, q);
            Matrices.Orthonormalise(q, l, d, random);
        }

        // y ← C·Q, then B = Qᵀ·(C·Q), symmetrised against rounding.
        MultiplyByCovariance(rows, mean, q, l, y, scratch);
        var b = new double[l * l];
        for (var i = 0; i < l; i++)
        {
            for (var j = i; j < l; j++)
            {
                var bij = 0.5 * (Matrices.Dot(q.AsSpan(i * d, d), y.AsSpan(j * d, d)) + Matrices.Dot(q.AsSpan(j * d, d), y.AsSpan(i * d, d)));
                b[(i * l) + j] = bij;
                b[(j * l) + i] = bij;
            }
        }
        var lambda = Matrices.SymmetricEigen(b, l, out var z);

        var components = new double[rank][];
        var variances = new double[rank];
        for (var k = 0; k < rank; k++)
        {
            var v = new double[d];
            for (var i = 0; i < l; i++)
            {
                Matrices.AddScaled(v, z[(k * l) + i], q.AsSpan(i * d, d));
            }
            components[k] = v;
            // λ of a covariance is ≥ 0; rounding can leave −1e-17.
            variances[k] = Math.Max(0, lambda[k]);
        }
        return new PcaModel(mean, components, variances);
    }

    /// <summary>
    /// result_i ← C·v_i for the <paramref name="count"/> vectors v_i in <paramref name="vectors"/>,
    /// as (1/n) Σ_r (x_r − μ)·((x_r − μ)·v_i): one pass over the rows, C never formed.
    /// </summary>
    private static void MultiplyByCovariance(IReadOnlyList<double[]> rows, double[] mean, double[] vectors, int count,
        double[] result, double[] centred)
    {
        var d = mean.Length;
        Array.Clear(result);
        foreach (var row in rows)
        {
            for (var j = 0; j < d; j++)
            {
                centred[j] = row[j] - mean[j];
            }
            for (var i = 0; i < count; i++)
            {
                var projection = Matrices.Dot(centred, vectors.AsSpan(i * d, d));
                Matrices.AddScaled(result.AsSpan(i * d, d), projection, centred);
            }
        }
        var inverse = 1.0 / rows.Count;
        for (var i = 0; i < result.Length; i++)
        {
            result[i] *= inverse;
        }
    }
}
