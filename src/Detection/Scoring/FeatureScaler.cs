using System.Text.Json.Serialization;

namespace Cib.Detection.Scoring;

/// <summary>
/// Standardises features column by column: z_j = (x_j − μ_j) / σ_j, with μ_j the column mean and
/// σ_j = √(Σ_i (x_ij − μ_j)² / n) the population standard deviation, both from the fitting rows.
/// A constant column (σ_j ≤ <see cref="ConstantTolerance"/> · max(1, |μ_j|)) maps to 0: it carries
/// no information, and dividing by its σ (zero, or rounding noise) would turn noise into large z.
/// </summary>
public sealed class FeatureScaler
{
    /// <summary>Relative spread below which a column counts as constant. The mean of n equal values
    /// can differ from them in the last bits, leaving a σ of about 1e-16 · |μ|.</summary>
    public const double ConstantTolerance = 1e-12;

    private readonly double[] _means;
    private readonly double[] _deviations;

    /// <summary>Creates a scaler from known means and standard deviations (for example, persisted
    /// ones); a zero or negligible deviation marks a constant column.</summary>
    [JsonConstructor]
    public FeatureScaler(IReadOnlyList<double> means, IReadOnlyList<double> standardDeviations)
    {
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(standardDeviations);
        if (means.Count != standardDeviations.Count)
        {
            throw new ArgumentException($"means has {means.Count} entries but standard deviations {standardDeviations.Count}");
        }
        for (var j = 0; j < means.Count; j++)
        {
            if (!double.IsFinite(means[j]) || !double.IsFinite(standardDeviations[j]) || standardDeviations[j] < 0)
            {
                throw new ArgumentException($"column {j}: mean {means[j]} and standard deviation {standardDeviations[j]} must be finite, the deviation non-negative");
            }
        }
        _means = [.. means];
        _deviations = [.. standardDeviations];
    }

    /// <summary>Number of features.</summary>
    [JsonIgnore]
    public int Dimension => _means.Length;

    /// <summary>μ_j per column.</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>σ_j per column.</summary>
    public IReadOnlyList<double> StandardDeviations => _deviations;

    /// <summary>Fits means and standard deviations on <paramref name="rows"/> (all of one length, finite).</summary>
    public static FeatureScaler Fit(IReadOnlyList<double[]> rows)
    {
        var dimension = Matrices.CheckRows(rows, nameof(rows));
        var n = rows.Count;
        var means = new double[dimension];
        foreach (var row in rows)
        {
            for (var j = 0; j < dimension; j++)
            {
                means[j] += row[j];
            }
        }
        for (var j = 0; j < dimension; j++)
        {
            means[j] /= n;
        }
        // Two passes (mean, then squared deviations) rather than Σx² − nμ², which cancels
        // catastrophically when the mean is large next to the spread.
        var deviations = new double[dimension];
        foreach (var row in rows)
        {
            for (var j = 0; j < dimension; j++)
            {
                var d = row[j] - means[j];
                deviations[j] += d * d;
            }
        }
        for (var j = 0; j < dimension; j++)
        {
            deviations[j] = Math.Sqrt(deviations[j] / n);
        }
        return new FeatureScaler(means, deviations);
    }

    /// <summary>z-scores of <paramref name="x"/> into <paramref name="destination"/> (same length).</summary>
    public void Transform(ReadOnlySpan<double> x, Span<double> destination)
    {
        if (x.Length != Dimension || destination.Length != Dimension)
        {
            throw new ArgumentException($"expected {Dimension} features (got {x.Length}, destination {destination.Length})");
        }
        for (var j = 0; j < x.Length; j++)
        {
            var sigma = _deviations[j];
            destination[j] = sigma <= ConstantTolerance * Math.Max(1, Math.Abs(_means[j])) ? 0 : (x[j] - _means[j]) / sigma;
        }
    }

    /// <summary>z-scores of <paramref name="x"/>.</summary>
    public double[] Transform(ReadOnlySpan<double> x)
    {
        var z = new double[x.Length];
        Transform(x, z);
        return z;
    }
}
