namespace Cib.Detection.Scoring;

/// <summary>One feature vector's ensemble score and the parts it was combined from.</summary>
/// <param name="Score">The combined score 1 − √((1 − a)(1 − b)), in [0, 1] (see <see cref="EnsembleScorer"/>).</param>
/// <param name="TailProbability">√((1 − a)(1 − b)), computed from the calibrators' tail probabilities so
/// that it keeps its precision where <see cref="Score"/> rounds to 1; rank by it (ascending) among the most anomalous.</param>
/// <param name="ResidualNorm">‖r‖, the PCA reconstruction residual norm of the standardised features.</param>
/// <param name="PcaCalibrated">a, ‖r‖ calibrated against the reference.</param>
/// <param name="ForestScore">The isolation forest score 2^(−E[h]/c(ψ)).</param>
/// <param name="ForestCalibrated">b, the forest score calibrated against the reference.</param>
/// <param name="Attribution">Per feature its combined share (see <see cref="EnsembleScorer.Explain"/>); sums to 1 or is all zeros.</param>
public sealed record EnsembleScore(double Score, double TailProbability, double ResidualNorm, double PcaCalibrated, double ForestScore,
    double ForestCalibrated, IReadOnlyList<double> Attribution);

/// <summary>A feature's part in an explanation.</summary>
/// <param name="Feature">Index of the feature in the scored vector.</param>
/// <param name="Share">Its combined share c_j (see <see cref="EnsembleScorer.Explain"/>).</param>
/// <param name="PcaShare">Its share r_j² / ‖r‖² of the squared PCA residual.</param>
/// <param name="ForestShare">Its share of the isolation (see <see cref="IsolationForestModel.Attribution"/>).</param>
public sealed record FeatureAttribution(int Feature, double Share, double PcaShare, double ForestShare);

/// <summary>
/// Scores feature vectors with two unsupervised models fitted on standardised reference features: a
/// randomized PCA (raw score: the absolute residual norm ‖r‖, as <c>NetworkModel</c> uses) and an
/// isolation forest. Each raw score is calibrated against the reference with a
/// <see cref="ScoreCalibrator"/>, giving a, b ∈ [0, 1] and tail probabilities t_a = 1 − a, t_b = 1 − b;
/// the ensemble score is score = 1 − √(t_a · t_b), one minus the geometric mean of the tail
/// probabilities (the mean of the two surprisals −ln t, mapped back). Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>Why this rule. The calibrated a and b are percentiles against the same reference, not
/// independent probabilities of an anomaly (both models read the same features), and what separates
/// a campaign from the most unusual ordinary group lies in the tail, beyond the reference maximum,
/// where only the calibrators' exponential tails tell points apart.</para>
/// <para>The arithmetic mean (a + b) / 2 discards that: a point far beyond every reference group for
/// PCA (a = 1 − 10⁻²⁰) but merely unusual for the forest (b = 0.89) scored 0.94 in our tests, below
/// an ordinary row at the 96th percentile of both. The geometric rule gives it 1 − 3·10⁻¹¹. One model
/// alone still needs strong evidence: with b = ½, reaching 0.99 takes t_a = 2·10⁻⁴, beyond the whole
/// reference unless it exceeds 2 500 rows.</para>
/// <para>The "noisy or" 1 − (1 − a)(1 − b) = 1 − t_a t_b is too liberal: were a and b independent,
/// 0.01 (1 + ln 100) ≈ 5.6% of ordinary points would score above 0.99. With the geometric mean, that
/// share is 10⁻⁴ (1 + ln 10⁴) ≈ 0.1% if they are independent and 1% if they coincide (t_a = t_b, when
/// the score is exactly the shared percentile): never more than one calibrated model alone.</para>
/// <para>The reference scores are in-sample (the rows the models were fitted on), as in
/// <c>NetworkModel</c>.</para>
/// </remarks>
public sealed class EnsembleScorer
{
    /// <summary>Rank of the PCA model by default, as <c>NetworkModel</c> uses.</summary>
    public const int DefaultRank = 3;

    /// <summary>Cap on a surprisal −ln t used as an attribution weight: −ln of the smallest positive double is about 744.4.</summary>
    private const double MaxSurprisal = 745;

    /// <summary>Wraps a fitted or loaded bundle.</summary>
    public EnsembleScorer(ModelBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        Bundle = bundle;
    }

    /// <summary>The fitted parts; persist with <see cref="ModelBundle.ToJson"/>.</summary>
    public ModelBundle Bundle { get; }

    /// <summary>The bundle's content hash, to attach to every score.</summary>
    public string Version => Bundle.Version;

    /// <summary>
    /// Fits the ensemble on reference feature vectors (at least 2 rows of d finite features): scaler,
    /// PCA of rank clamp(<paramref name="rank"/>, 1, max(1, d − 1)) (one component fewer than the
    /// features, so the residual is not identically 0, as <c>NetworkModel</c> does), forest, and a
    /// calibrator per model on the reference's own raw scores. The same rows and seed give the same
    /// bundle and <see cref="Version"/>.
    /// </summary>
    public static EnsembleScorer Fit(IReadOnlyList<double[]> reference, int rank = DefaultRank, int trees = IsolationForest.DefaultTrees,
        int sampleSize = IsolationForest.DefaultSampleSize, int seed = 0)
    {
        var d = Matrices.CheckRows(reference, nameof(reference));
        if (reference.Count < 2)
        {
            throw new ArgumentException($"the ensemble needs at least 2 reference rows (got {reference.Count})", nameof(reference));
        }
        var scaler = FeatureScaler.Fit(reference);
        var scaled = new double[reference.Count][];
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = scaler.Transform(reference[i]);
        }
        var pca = RandomizedPca.Fit(scaled, Math.Clamp(rank, 1, Math.Max(1, d - 1)), seed: seed);
        var forest = IsolationForest.Fit(scaled, trees, sampleSize, seed);
        var residuals = new double[scaled.Length];
        var forestScores = new double[scaled.Length];
        for (var i = 0; i < scaled.Length; i++)
        {
            residuals[i] = Math.Sqrt(pca.SquaredResidual(scaled[i]));
            forestScores[i] = forest.Score(scaled[i]);
        }
        return new EnsembleScorer(ModelBundle.Create(scaler, pca, forest, ScoreCalibrator.Fit(residuals), ScoreCalibrator.Fit(forestScores)));
    }

    /// <summary>Scores one raw feature vector: score = 1 − √(t_a t_b) with t_a = 1 − F_pca(‖r‖) and
    /// t_b = 1 − F_forest(s_forest), and the combined attribution (see <see cref="Explain"/>).</summary>
    public EnsembleScore Score(ReadOnlySpan<double> features) => Evaluate(features).Score;

    /// <summary>
    /// The <paramref name="top"/> features with the largest combined share (ties by index). The
    /// combined share is c_j = (σ_a P_j + σ_b I_j) / (σ_a + σ_b), with P_j = r_j² / ‖r‖² the PCA residual
    /// share, I_j the forest's share and σ = −ln t each model's surprisal: each model's explanation
    /// counts by its part in the combined surprisal, as the score combines them;
    /// c_j = (P_j + I_j) / 2 when σ_a + σ_b = 0.
    /// </summary>
    public IReadOnlyList<FeatureAttribution> Explain(ReadOnlySpan<double> features, int top = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var (score, pcaShares, forestShares) = Evaluate(features);
        var combined = score.Attribution;
        return [.. Enumerable.Range(0, combined.Count)
            .OrderByDescending(j => combined[j]).ThenBy(j => j)
            .Take(top)
            .Select(j => new FeatureAttribution(j, combined[j], pcaShares[j], forestShares[j]))];
    }

    private (EnsembleScore Score, double[] PcaShares, double[] ForestShares) Evaluate(ReadOnlySpan<double> features)
    {
        var z = Bundle.Scaler.Transform(features);
        var contributions = Bundle.Pca.ResidualContributions(z);
        var squared = Bundle.Pca.SquaredResidual(z);
        var residualNorm = Math.Sqrt(squared);
        var forestScore = Bundle.Forest.Score(z);
        var tailA = Bundle.PcaCalibrator.TailProbability(residualNorm);
        var tailB = Bundle.ForestCalibrator.TailProbability(forestScore);
        var pcaShares = new double[contributions.Length];
        for (var j = 0; j < pcaShares.Length; j++)
        {
            pcaShares[j] = squared > 0 ? contributions[j] / squared : 0;
        }
        var forestShares = Bundle.Forest.Attribution(z);
        // A tail probability that underflowed to 0 has infinite surprisal; cap it at about that of the
        // smallest positive double, e^−744.4, so that the weights stay finite.
        var attribution = Combine(Math.Min(-Math.Log(tailA), MaxSurprisal), pcaShares, Math.Min(-Math.Log(tailB), MaxSurprisal), forestShares);
        // √t_a · √t_b rather than √(t_a t_b): the product of two tiny tails can underflow.
        var tail = Math.Sqrt(tailA) * Math.Sqrt(tailB);
        var score = new EnsembleScore(1 - tail, tail, residualNorm, Bundle.PcaCalibrator.Calibrate(residualNorm), forestScore,
            Bundle.ForestCalibrator.Calibrate(forestScore), attribution);
        return (score, pcaShares, forestShares);
    }

    private static double[] Combine(double pcaSurprisal, double[] pcaShares, double forestSurprisal, double[] forestShares)
    {
        var weight = pcaSurprisal + forestSurprisal;
        var combined = new double[pcaShares.Length];
        for (var j = 0; j < combined.Length; j++)
        {
            combined[j] = weight > 0
                ? ((pcaSurprisal * pcaShares[j]) + (forestSurprisal * forestShares[j])) / weight
                : (pcaShares[j] + forestShares[j]) / 2;
        }
        return combined;
    }
}
