using System.Text.Json;

namespace Cib.Detection.Scoring;

/// <summary>
/// A fitted principal subspace: mean μ and k orthonormal components v_1..v_k. Scores a vector by how
/// much of it, after centring, lies outside the subspace, as ML.NET's PCA anomaly detector does
/// (dotnet/machinelearning, src/Microsoft.ML.PCA/PcaTrainer.cs, PcaModelParameters.Score: the
/// "normalized error" √((‖x−μ‖² − Σ_k (v_k·x − v_k·μ)²) / ‖x−μ‖²)). Immutable and thread-safe.
/// </summary>
public sealed class PcaModel
{
    /// <summary>The <see cref="PcaModelData.FormatVersion"/> this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Largest |v_i·v_j − δ_ij| accepted from stored components; more means a corrupt file,
    /// and the score formula assumes orthonormal components.</summary>
    private const double OrthonormalTolerance = 1e-6;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private readonly double[] _mean;
    private readonly double[][] _components;
    private readonly double[] _variances;

    /// <summary>Creates a model from a mean, orthonormal components and their variances.</summary>
    /// <exception cref="ArgumentException">Lengths disagree, values are not finite, or the components
    /// are not orthonormal.</exception>
    public PcaModel(IReadOnlyList<double> mean, IReadOnlyList<IReadOnlyList<double>> components, IReadOnlyList<double> variances)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(variances);
        var d = mean.Count;
        if (d == 0 || components.Count == 0 || components.Count > d)
        {
            throw new ArgumentException($"a model needs 1 to {d} components of {d} features (got {components.Count} components)");
        }
        if (variances.Count != components.Count)
        {
            throw new ArgumentException($"{components.Count} components but {variances.Count} variances");
        }
        _mean = [.. mean];
        _variances = [.. variances];
        _components = new double[components.Count][];
        for (var k = 0; k < components.Count; k++)
        {
            if (components[k] is not { } component || component.Count != d)
            {
                throw new ArgumentException($"component {k} must have {d} entries, like the mean");
            }
            _components[k] = [.. component];
        }
        if (!_mean.All(double.IsFinite) || !_variances.All(v => double.IsFinite(v) && v >= 0)
            || !_components.All(c => c.All(double.IsFinite)))
        {
            throw new ArgumentException("mean, components and variances must be finite, variances non-negative");
        }
        for (var i = 0; i < _components.Length; i++)
        {
            for (var j = i; j < _components.Length; j++)
            {
                var expected = i == j ? 1.0 : 0.0;
                var dot = Matrices.Dot(_components[i], _components[j]);
                if (Math.Abs(dot - expected) > OrthonormalTolerance)
                {
                    throw new ArgumentException($"components {i} and {j} have dot product {dot}, expected {expected}: not orthonormal");
                }
            }
        }
    }

    /// <summary>Number of features d.</summary>
    public int Dimension => _mean.Length;

    /// <summary>Number of components k.</summary>
    public int Rank => _components.Length;

    /// <summary>μ, subtracted before projecting.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>The components v_1..v_k (each of length <see cref="Dimension"/>), by decreasing variance.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Components => _components;

    /// <summary>λ_1..λ_k: the training data's variance along each component.</summary>
    public IReadOnlyList<double> Variances => _variances;

    /// <summary>
    /// The anomaly score, ML.NET's normalized reconstruction error:
    /// score(x) = √(‖r‖² / ‖x − μ‖²), with r = (x − μ) − Σ_k v_k·(v_kᵀ(x − μ)); 0 when x = μ.
    /// It lies in [0, 1]: the sine of the angle between x − μ and the subspace. For orthonormal v_k,
    /// ‖r‖² = ‖x − μ‖² − Σ_k (v_kᵀ(x − μ))², ML.NET's form; computing r itself cannot go negative by
    /// rounding. ML.NET yields NaN for x = μ (0/0); a point at the mean is fully explained, so 0.
    /// Being relative, the score ignores how far x is from μ: for points very near the mean, noise
    /// decides it. Use <see cref="SquaredResidual"/> where absolute distance from the subspace matters.
    /// </summary>
    public double Score(ReadOnlySpan<double> x)
    {
        Span<double> residual = Dimension <= 256 ? stackalloc double[Dimension] : new double[Dimension];
        var centredNorm2 = Residual(x, residual);
        if (centredNorm2 == 0)
        {
            return 0;
        }
        var residualNorm2 = Matrices.Dot(residual, residual);
        return Math.Sqrt(Math.Min(1, residualNorm2 / centredNorm2));
    }

    /// <summary>‖r‖², the squared reconstruction residual of x (see <see cref="Score"/>); equals the
    /// sum of <see cref="ResidualContributions"/>.</summary>
    public double SquaredResidual(ReadOnlySpan<double> x)
    {
        Span<double> residual = Dimension <= 256 ? stackalloc double[Dimension] : new double[Dimension];
        Residual(x, residual);
        return Matrices.Dot(residual, residual);
    }

    /// <summary>
    /// Per feature j, r_j², its share of the squared residual (see <see cref="Score"/>): the
    /// features that the subspace failed to explain, largest first when sorted.
    /// </summary>
    public double[] ResidualContributions(ReadOnlySpan<double> x)
    {
        var residual = new double[Dimension];
        Residual(x, residual);
        for (var j = 0; j < residual.Length; j++)
        {
            residual[j] *= residual[j];
        }
        return residual;
    }

    /// <summary>The model as plain data, for storage.</summary>
    public PcaModelData ToData() =>
        new(CurrentFormatVersion, [.. _mean], [.. _components.Select(c => (double[])[.. c])], [.. _variances]);

    /// <summary>Rebuilds a model from stored data, checking it as the constructor does.</summary>
    /// <exception cref="ArgumentException">Unknown format version or inconsistent data.</exception>
    public static PcaModel FromData(PcaModelData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FormatVersion != CurrentFormatVersion)
        {
            throw new ArgumentException($"PCA model format version {data.FormatVersion} is not supported (this code reads {CurrentFormatVersion})");
        }
        if (data.Mean is null || data.Components is null || data.Variances is null)
        {
            throw new ArgumentException("PCA model data lacks mean, components or variances");
        }
        return new PcaModel(data.Mean, data.Components, data.Variances);
    }

    /// <summary>The model as JSON (<see cref="PcaModelData"/>).</summary>
    public string ToJson() => JsonSerializer.Serialize(ToData(), JsonOptions);

    /// <summary>Reads a model written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a PCA model's JSON.</exception>
    /// <exception cref="ArgumentException">The model it holds is inconsistent.</exception>
    public static PcaModel FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var data = JsonSerializer.Deserialize<PcaModelData>(json, JsonOptions)
            ?? throw new JsonException("PCA model JSON is null");
        return FromData(data);
    }

    /// <summary>r ← (x − μ) − Σ_k v_k·(v_kᵀ(x − μ)); returns ‖x − μ‖².</summary>
    private double Residual(ReadOnlySpan<double> x, Span<double> residual)
    {
        if (x.Length != Dimension)
        {
            throw new ArgumentException($"expected {Dimension} features (got {x.Length})", nameof(x));
        }
        for (var j = 0; j < x.Length; j++)
        {
            residual[j] = x[j] - _mean[j];
        }
        var centredNorm2 = Matrices.Dot(residual, residual);
        // Projections are taken of the original centred vector (classical Gram-Schmidt form), so the
        // result does not depend on the order of the components.
        Span<double> projections = stackalloc double[Rank];
        for (var k = 0; k < Rank; k++)
        {
            var v = _components[k];
            var p = 0.0;
            for (var j = 0; j < x.Length; j++)
            {
                p += v[j] * (x[j] - _mean[j]);
            }
            projections[k] = p;
        }
        for (var k = 0; k < Rank; k++)
        {
            Matrices.AddScaled(residual, -projections[k], _components[k]);
        }
        return centredNorm2;
    }
}
