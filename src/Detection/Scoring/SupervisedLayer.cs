using System.Text.Json;

namespace Cib.Detection.Scoring;

/// <summary>
/// An L2-regularised logistic regression trained on reviewers' decisions (confirm = 1, dismiss = 0):
/// P(confirm | x) = σ(b + Σ_j w_j z_j), σ(t) = 1 / (1 + e^(−t)), z the features standardised on the
/// training rows, fitted by minimising
/// J(b, w) = Σ_i [ln(1 + e^(η_i)) − y_i η_i] + (λ/2) Σ_j w_j², η_i = b + w·z_i (the intercept is not
/// penalised). Standardising first makes one λ fair to every feature. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>Training is Newton's method (iteratively reweighted least squares) from w = 0, b = 0:
/// g = Σ_i (p_i − y_i) z̃_i + λ(0, w), H = Σ_i p_i (1 − p_i) z̃_i z̃_iᵀ + λ diag(0, 1, …, 1), z̃ = (1, z),
/// step δ = (H + 10⁻⁹ I)⁻¹ g by Cholesky (the 10⁻⁹ changes the step, not the fixed point g = 0), halved
/// until J does not increase; stops when every |step| &lt; 10⁻¹⁰ or after 100 steps. With λ &gt; 0, J is
/// strictly convex, so the result does not depend on the path, and separable data still give finite w.</para>
/// <para>Blending with the unsupervised score (<see cref="Blend"/>): until a layer is trained, the final
/// score is the unsupervised score s. Once trained, the layer's rows are the features plus one more,
/// <see cref="UnsupervisedFeature"/>(s) = logit(s), and the final score is its probability: reviewers'
/// decisions then decide how much the unsupervised score counts next to each feature.</para>
/// </remarks>
public sealed class SupervisedLayer
{
    /// <summary>The <see cref="SupervisedLayerData.FormatVersion"/> this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Fewest labelled examples the layer trains on: fewer cannot support both a model and
    /// its cross-validation.</summary>
    public const int MinimumLabels = 20;

    /// <summary>Fewest examples of each class (confirmed, dismissed) the layer trains on.</summary>
    public const int MinimumPerClass = 5;

    /// <summary>k of the k-fold cross-validation by default.</summary>
    public const int DefaultFolds = 5;

    /// <summary>λ by default: on standardised features, a mild penalty that keeps separable data finite.</summary>
    public const double DefaultRegularisation = 1.0;

    /// <summary>Probability at or above which an example counts as predicted confirmed in the report.</summary>
    public const double Threshold = 0.5;

    /// <summary>ε of <see cref="UnsupervisedFeature"/>: scores are clamped to [ε, 1 − ε] before the logit.</summary>
    public const double ScoreClamp = 1e-9;

    private const int MaxIterations = 100;
    private const double StepTolerance = 1e-10;
    private const double Jitter = 1e-9;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private readonly FeatureScaler _scaler;
    private readonly double[] _weights;

    private SupervisedLayer(FeatureScaler scaler, double[] weights, double intercept, double regularisation, SupervisedReport report)
    {
        if (weights.Length != scaler.Dimension)
        {
            throw new ArgumentException($"{weights.Length} weights for {scaler.Dimension} features");
        }
        if (!weights.All(double.IsFinite) || !double.IsFinite(intercept))
        {
            throw new ArgumentException("weights and intercept must be finite");
        }
        if (!double.IsFinite(regularisation) || regularisation <= 0)
        {
            throw new ArgumentException($"regularisation λ must be finite and positive (got {regularisation})");
        }
        _scaler = scaler;
        _weights = weights;
        Intercept = intercept;
        Regularisation = regularisation;
        Report = report;
    }

    /// <summary>Number of input features (including the appended unsupervised score, when used).</summary>
    public int Dimension => _weights.Length;

    /// <summary>w_j, per standardised feature: how much a one-σ rise moves the log-odds of confirm.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>b, the log-odds of confirm at the training rows' mean.</summary>
    public double Intercept { get; }

    /// <summary>λ, the L2 penalty it was trained with.</summary>
    public double Regularisation { get; }

    /// <summary>Cross-validated precision, recall and AUC from training.</summary>
    public SupervisedReport Report { get; }

    /// <summary>
    /// Null when <paramref name="confirmed"/> is enough to train on (at least <see cref="MinimumLabels"/>
    /// labels, at least <see cref="MinimumPerClass"/> of each class); otherwise why not, for the user.
    /// </summary>
    public static string? RefusalReason(IReadOnlyList<bool> confirmed)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        var positives = confirmed.Count(c => c);
        var negatives = confirmed.Count - positives;
        return confirmed.Count >= MinimumLabels && positives >= MinimumPerClass && negatives >= MinimumPerClass
            ? null
            : $"the supervised layer needs at least {MinimumLabels} reviewed examples, at least {MinimumPerClass} confirmed and {MinimumPerClass} dismissed "
              + $"(got {confirmed.Count}: {positives} confirmed, {negatives} dismissed); keep reviewing, and use the unsupervised score until then";
    }

    /// <summary>
    /// Trains on <paramref name="rows"/> labelled by <paramref name="confirmed"/> (true = confirm = 1)
    /// and reports stratified <paramref name="folds"/>-fold cross-validated precision, recall and AUC
    /// (folds drawn with <paramref name="seed"/>; the final model uses all rows). Same inputs, same layer.
    /// </summary>
    /// <exception cref="ArgumentException">Too few labels (see <see cref="RefusalReason"/>), labels and
    /// rows of different counts, rows ragged or not finite, or λ not positive.</exception>
    public static SupervisedLayer Fit(IReadOnlyList<double[]> rows, IReadOnlyList<bool> confirmed, double regularisation = DefaultRegularisation,
        int folds = DefaultFolds, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        if (RefusalReason(confirmed) is { } reason)
        {
            throw new ArgumentException(reason, nameof(confirmed));
        }
        Matrices.CheckRows(rows, nameof(rows));
        if (rows.Count != confirmed.Count)
        {
            throw new ArgumentException($"{rows.Count} rows but {confirmed.Count} labels", nameof(confirmed));
        }
        if (!double.IsFinite(regularisation) || regularisation <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(regularisation), regularisation, "λ must be finite and positive");
        }
        var n = rows.Count;
        if (folds < 2 || folds > n)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"folds must be between 2 and the number of examples ({n})");
        }

        // Stratified folds: each class shuffled on its own and dealt round-robin, so every fold gets its
        // share of confirmed and dismissed examples.
        var random = new Random(seed);
        var foldOf = new int[n];
        foreach (var label in (bool[])[true, false])
        {
            var members = Enumerable.Range(0, n).Where(i => confirmed[i] == label).ToArray();
            for (var i = members.Length - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }
            for (var i = 0; i < members.Length; i++)
            {
                foldOf[members[i]] = i % folds;
            }
        }
        var outOfFold = new double[n];
        for (var f = 0; f < folds; f++)
        {
            var train = Enumerable.Range(0, n).Where(i => foldOf[i] != f).ToArray();
            var (foldScaler, foldWeights, foldIntercept) = Train([.. train.Select(i => rows[i])], [.. train.Select(i => confirmed[i])], regularisation);
            for (var i = 0; i < n; i++)
            {
                if (foldOf[i] == f)
                {
                    outOfFold[i] = Probability(foldScaler, foldWeights, foldIntercept, rows[i]);
                }
            }
        }
        var report = Evaluate(outOfFold, confirmed, folds);
        var (scaler, weights, intercept) = Train(rows, confirmed, regularisation);
        return new SupervisedLayer(scaler, weights, intercept, regularisation, report);
    }

    /// <summary>P(confirm | x) = σ(b + Σ_j w_j z_j), z the standardised <paramref name="features"/>.</summary>
    public double Probability(ReadOnlySpan<double> features) => Probability(_scaler, _weights, Intercept, features);

    /// <summary>The unsupervised score as a feature: logit(s′) = ln(s′ / (1 − s′)), s′ = clamp(s, ε, 1 − ε)
    /// with ε = <see cref="ScoreClamp"/>. The logit spreads out the scores near 1, where calibrated
    /// anomaly scores differ, since the layer is linear in its inputs.</summary>
    public static double UnsupervisedFeature(double score)
    {
        if (double.IsNaN(score))
        {
            throw new ArgumentException("the unsupervised score is NaN", nameof(score));
        }
        var s = Math.Clamp(score, ScoreClamp, 1 - ScoreClamp);
        return Math.Log(s / (1 - s));
    }

    /// <summary>The row a layer blended with the unsupervised score reads: <paramref name="features"/>
    /// followed by <see cref="UnsupervisedFeature"/>(<paramref name="unsupervisedScore"/>).</summary>
    public static double[] WithUnsupervisedScore(ReadOnlySpan<double> features, double unsupervisedScore)
    {
        var row = new double[features.Length + 1];
        features.CopyTo(row);
        row[^1] = UnsupervisedFeature(unsupervisedScore);
        return row;
    }

    /// <summary>
    /// The final score: <paramref name="unsupervisedScore"/> when <paramref name="layer"/> is null (not
    /// trained yet), otherwise layer.Probability(<see cref="WithUnsupervisedScore"/>(features, score)).
    /// The layer must have been trained on rows built by <see cref="WithUnsupervisedScore"/>.
    /// </summary>
    public static double Blend(SupervisedLayer? layer, ReadOnlySpan<double> features, double unsupervisedScore)
    {
        if (layer is null)
        {
            return unsupervisedScore;
        }
        if (layer.Dimension != features.Length + 1)
        {
            throw new ArgumentException($"the layer reads {layer.Dimension} inputs, so {layer.Dimension - 1} features plus the unsupervised score (got {features.Length} features)", nameof(features));
        }
        return layer.Probability(WithUnsupervisedScore(features, unsupervisedScore));
    }

    /// <summary>The layer as plain data, for storage.</summary>
    public SupervisedLayerData ToData() =>
        new(CurrentFormatVersion, [.. _scaler.Means], [.. _scaler.StandardDeviations], [.. _weights], Intercept, Regularisation, Report);

    /// <summary>Rebuilds a layer from stored data, checking it.</summary>
    /// <exception cref="ArgumentException">Unknown format version or inconsistent data.</exception>
    public static SupervisedLayer FromData(SupervisedLayerData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FormatVersion != CurrentFormatVersion)
        {
            throw new ArgumentException($"supervised layer format version {data.FormatVersion} is not supported (this code reads {CurrentFormatVersion})");
        }
        if (data.ScalerMeans is null || data.ScalerStandardDeviations is null || data.Weights is null || data.Report is null)
        {
            throw new ArgumentException("supervised layer data lacks the scaler, weights or report");
        }
        return new SupervisedLayer(new FeatureScaler(data.ScalerMeans, data.ScalerStandardDeviations), [.. data.Weights], data.Intercept,
            data.Regularisation, data.Report);
    }

    /// <summary>The layer as JSON (<see cref="SupervisedLayerData"/>).</summary>
    public string ToJson() => JsonSerializer.Serialize(ToData(), JsonOptions);

    /// <summary>Reads a layer written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a supervised layer's JSON.</exception>
    /// <exception cref="ArgumentException">The layer it holds is inconsistent.</exception>
    public static SupervisedLayer FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var data = JsonSerializer.Deserialize<SupervisedLayerData>(json, JsonOptions)
            ?? throw new JsonException("supervised layer JSON is null");
        return FromData(data);
    }

    private static double Probability(FeatureScaler scaler, double[] weights, double intercept, ReadOnlySpan<double> features)
    {
        if (features.Length != weights.Length)
        {
            throw new ArgumentException($"expected {weights.Length} features (got {features.Length})", nameof(features));
        }
        Span<double> z = features.Length <= 256 ? stackalloc double[features.Length] : new double[features.Length];
        scaler.Transform(features, z);
        return Sigmoid(intercept + Matrices.Dot(weights, z));
    }

    /// <summary>Fits scaler, w and b on all of <paramref name="rows"/> by damped Newton (see remarks).</summary>
    private static (FeatureScaler Scaler, double[] Weights, double Intercept) Train(IReadOnlyList<double[]> rows, IReadOnlyList<bool> y, double lambda)
    {
        var scaler = FeatureScaler.Fit(rows);
        var p = scaler.Dimension + 1;
        var z = new double[rows.Count][];
        for (var i = 0; i < z.Length; i++)
        {
            z[i] = new double[p];
            z[i][0] = 1;
            scaler.Transform(rows[i], z[i].AsSpan(1));
        }
        var theta = new double[p];
        var candidate = new double[p];
        var gradient = new double[p];
        var hessian = new double[p * p];
        var objective = Objective(z, y, theta, lambda);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (var i = 0; i < z.Length; i++)
            {
                var pi = Sigmoid(Matrices.Dot(theta, z[i]));
                Matrices.AddScaled(gradient, pi - (y[i] ? 1 : 0), z[i]);
                var weight = pi * (1 - pi);
                for (var r = 0; r < p; r++)
                {
                    Matrices.AddScaled(hessian.AsSpan(r * p, p), weight * z[i][r], z[i]);
                }
            }
            for (var j = 0; j < p; j++)
            {
                if (j > 0)
                {
                    gradient[j] += lambda * theta[j];
                    hessian[(j * p) + j] += lambda;
                }
                hessian[(j * p) + j] += Jitter;
            }
            var step = SolveCholesky(hessian, gradient, p);
            var accepted = false;
            var size = 1.0;
            for (var halving = 0; halving < 40; halving++, size /= 2)
            {
                for (var j = 0; j < p; j++)
                {
                    candidate[j] = theta[j] - (size * step[j]);
                }
                var next = Objective(z, y, candidate, lambda);
                if (next <= objective)
                {
                    objective = next;
                    accepted = true;
                    break;
                }
            }
            if (!accepted)
            {
                // No step lowers J: θ is at the minimum to rounding.
                break;
            }
            (theta, candidate) = (candidate, theta);
            var largest = 0.0;
            foreach (var s in step)
            {
                largest = Math.Max(largest, Math.Abs(size * s));
            }
            if (largest < StepTolerance)
            {
                break;
            }
        }
        return (scaler, theta[1..], theta[0]);
    }

    /// <summary>J(θ) = Σ_i [softplus(η_i) − y_i η_i] + (λ/2) Σ_{j≥1} θ_j², softplus(t) = max(t, 0) + ln(1 + e^(−|t|))
    /// (the form in which e^η cannot overflow).</summary>
    private static double Objective(double[][] z, IReadOnlyList<bool> y, double[] theta, double lambda)
    {
        var total = 0.0;
        for (var i = 0; i < z.Length; i++)
        {
            var eta = Matrices.Dot(theta, z[i]);
            total += Math.Max(eta, 0) + Math.Log(1 + Math.Exp(-Math.Abs(eta))) - (y[i] ? eta : 0);
        }
        for (var j = 1; j < theta.Length; j++)
        {
            total += 0.5 * lambda * theta[j] * theta[j];
        }
        return total;
    }

    /// <summary>σ(t) = 1 / (1 + e^(−t)), as e^t / (1 + e^t) for t &lt; 0 so that e^(−t) cannot overflow.</summary>
    private static double Sigmoid(double t)
    {
        if (t >= 0)
        {
            return 1 / (1 + Math.Exp(-t));
        }
        var e = Math.Exp(t);
        return e / (1 + e);
    }

    /// <summary>Solves A x = b for symmetric positive definite A (p×p, row-major, destroyed) by
    /// Cholesky A = L Lᵀ, then forward and back substitution.</summary>
    private static double[] SolveCholesky(double[] a, double[] b, int p)
    {
        for (var j = 0; j < p; j++)
        {
            var diagonal = a[(j * p) + j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= a[(j * p) + k] * a[(j * p) + k];
            }
            if (!(diagonal > 0))
            {
                throw new InvalidOperationException($"the Newton system is not positive definite at pivot {j} ({diagonal}); the features may be non-finite");
            }
            var l = Math.Sqrt(diagonal);
            a[(j * p) + j] = l;
            for (var i = j + 1; i < p; i++)
            {
                var sum = a[(i * p) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= a[(i * p) + k] * a[(j * p) + k];
                }
                a[(i * p) + j] = sum / l;
            }
        }
        var x = new double[p];
        for (var i = 0; i < p; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= a[(i * p) + k] * x[k];
            }
            x[i] = sum / a[(i * p) + i];
        }
        for (var i = p - 1; i >= 0; i--)
        {
            var sum = x[i];
            for (var k = i + 1; k < p; k++)
            {
                sum -= a[(k * p) + i] * x[k];
            }
            x[i] = sum / a[(i * p) + i];
        }
        return x;
    }

    /// <summary>Precision and recall at <see cref="Threshold"/>, and AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ n₋)
    /// with R₊ the sum of the confirmed examples' ranks (ties get their mean rank).</summary>
    private static SupervisedReport Evaluate(double[] probabilities, IReadOnlyList<bool> confirmed, int folds)
    {
        var n = probabilities.Length;
        int truePositives = 0, falsePositives = 0, positives = 0;
        for (var i = 0; i < n; i++)
        {
            var predicted = probabilities[i] >= Threshold;
            positives += confirmed[i] ? 1 : 0;
            truePositives += predicted && confirmed[i] ? 1 : 0;
            falsePositives += predicted && !confirmed[i] ? 1 : 0;
        }
        var precision = truePositives + falsePositives > 0 ? (double)truePositives / (truePositives + falsePositives) : 0;
        var recall = (double)truePositives / positives;
        var order = Enumerable.Range(0, n).OrderBy(i => probabilities[i]).ToArray();
        var positiveRanks = 0.0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && probabilities[order[end + 1]] == probabilities[order[start]])
            {
                end++;
            }
            // Ranks start+1..end+1 share their mean.
            var meanRank = (start + end + 2) / 2.0;
            for (var k = start; k <= end; k++)
            {
                positiveRanks += confirmed[order[k]] ? meanRank : 0;
            }
            start = end + 1;
        }
        var negatives = n - positives;
        var auc = (positiveRanks - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
        return new SupervisedReport(precision, recall, auc, n, positives, folds);
    }
}
