using System.Text.Json;

namespace Cib.Detection.Scoring;

/// <summary>
/// Maps raw scores of any model to [0, 1] by where they fall among the scores of a reference sample:
/// a smoothed empirical CDF with an exponential upper tail. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>Fitting keeps m = min(n, maxKnots) knots: the order statistics of ranks
/// r_i = 1 + round((i − 1)(n − 1) / (m − 1)), i = 1..m (all of them when n ≤ maxKnots; the minimum and
/// maximum always), at levels p_i = (r_i − ½) / n (Hazen's plotting position, which keeps every level
/// strictly inside (0, 1)). Then</para>
/// <para>F(s) = p_1 for s &lt; v_1;
/// F(s) = p_i + (p_{i+1} − p_i)(s − v_i) / (v_{i+1} − v_i) for v_i ≤ s &lt; v_m, i = max{i : v_i ≤ s};
/// F(s) = 1 − (1 − p_m) exp(−(s − v_m) / β) for s ≥ v_m.</para>
/// <para>The tail is the exponential (generalised Pareto of shape 0) excess distribution of
/// Pickands–Balkema–de Haan, fitted by maximum likelihood on the top tenth of the knots: with
/// k = min(m − 1, max(1, ⌈m / 10⌉)) and u = v_{m−k}, β = (1/k) Σ_{i=m−k+1..m} (v_i − u), floored at
/// <see cref="ScaleFloor"/> · max(1, |v_m|) when the top of the reference has no spread. So F is
/// continuous at v_m, a score just above the reference maximum gets about p_m = 1 − ½/n (not 1),
/// and one several β beyond it approaches 1. F is non-decreasing everywhere, and strictly
/// increasing above v_1 except across ties.</para>
/// </remarks>
public sealed class ScoreCalibrator
{
    /// <summary>The <see cref="ScoreCalibratorData.FormatVersion"/> this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Knots kept by default: quantiles are then exact to 1/2048, plenty for a score.</summary>
    public const int DefaultMaxKnots = 2048;

    /// <summary>Smallest tail scale, relative to max(1, |v_m|): keeps F finite for a reference whose
    /// top scores are all equal.</summary>
    public const double ScaleFloor = 1e-6;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private readonly double[] _values;
    private readonly double[] _levels;

    private ScoreCalibrator(int count, double[] values, double[] levels, double tailScale)
    {
        if (values.Length < 2 || levels.Length != values.Length || count < values.Length)
        {
            throw new ArgumentException($"a calibrator needs at least 2 knots, as many levels as values, and a count of at least the knots (got {values.Length} values, {levels.Length} levels, count {count})");
        }
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]) || (i > 0 && values[i] < values[i - 1]))
            {
                throw new ArgumentException($"knot {i}: value {values[i]} must be finite and not below the one before");
            }
            if (!(levels[i] > 0 && levels[i] < 1) || (i > 0 && levels[i] <= levels[i - 1]))
            {
                throw new ArgumentException($"knot {i}: level {levels[i]} must lie in (0, 1) and exceed the one before");
            }
        }
        if (!double.IsFinite(tailScale) || tailScale <= 0)
        {
            throw new ArgumentException($"tail scale {tailScale} must be finite and positive");
        }
        Count = count;
        _values = values;
        _levels = levels;
        TailScale = tailScale;
    }

    /// <summary>n, the number of reference scores.</summary>
    public int Count { get; }

    /// <summary>β, the scale of the exponential tail beyond <see cref="Maximum"/>.</summary>
    public double TailScale { get; }

    /// <summary>The largest reference score v_m.</summary>
    public double Maximum => _values[^1];

    /// <summary>The knot scores v_1 ≤ … ≤ v_m.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>The knot levels p_1 &lt; … &lt; p_m.</summary>
    public IReadOnlyList<double> Levels => _levels;

    /// <summary>Fits a calibrator to reference scores (at least 2, finite), keeping at most
    /// <paramref name="maxKnots"/> knots (see the remarks on <see cref="ScoreCalibrator"/>).</summary>
    /// <exception cref="ArgumentException">Fewer than 2 scores, or a score not finite.</exception>
    public static ScoreCalibrator Fit(IReadOnlyList<double> referenceScores, int maxKnots = DefaultMaxKnots)
    {
        ArgumentNullException.ThrowIfNull(referenceScores);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKnots, 2);
        var n = referenceScores.Count;
        if (n < 2)
        {
            throw new ArgumentException($"calibration needs at least 2 reference scores (got {n})", nameof(referenceScores));
        }
        var sorted = new double[n];
        for (var i = 0; i < n; i++)
        {
            sorted[i] = double.IsFinite(referenceScores[i])
                ? referenceScores[i]
                : throw new ArgumentException($"reference score {i} is {referenceScores[i]}; scores must be finite", nameof(referenceScores));
        }
        Array.Sort(sorted);
        var m = Math.Min(n, maxKnots);
        var values = new double[m];
        var levels = new double[m];
        for (var i = 0; i < m; i++)
        {
            // r − 1 = round(i (n − 1) / (m − 1)), in integers; r − 1 steps by at least 1 since n ≥ m.
            var rank0 = (int)((((long)i * (n - 1)) + ((m - 1) / 2)) / (m - 1));
            values[i] = sorted[rank0];
            levels[i] = (rank0 + 0.5) / n;
        }
        var k = Math.Min(m - 1, Math.Max(1, (m + 9) / 10));
        var threshold = values[m - 1 - k];
        var excess = 0.0;
        for (var i = m - k; i < m; i++)
        {
            excess += values[i] - threshold;
        }
        var scale = Math.Max(excess / k, ScaleFloor * Math.Max(1, Math.Abs(values[m - 1])));
        return new ScoreCalibrator(n, values, levels, scale);
    }

    /// <summary>F(s), the calibrated score in [0, 1] (see the remarks on <see cref="ScoreCalibrator"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="score"/> is NaN.</exception>
    public double Calibrate(double score)
    {
        if (double.IsNaN(score))
        {
            throw new ArgumentException("cannot calibrate a NaN score", nameof(score));
        }
        var m = _values.Length;
        if (score >= _values[m - 1])
        {
            return 1 - ((1 - _levels[m - 1]) * Math.Exp(-(score - _values[m - 1]) / TailScale));
        }
        if (score < _values[0])
        {
            return _levels[0];
        }
        // i = max{i : v_i ≤ s}; v_0 ≤ s < v_{m−1} here, so 0 ≤ i < m − 1 and v_{i+1} > s ≥ v_i.
        var lo = 0;
        var hi = m - 1;
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_values[mid] <= score)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        var i = lo;
        return _levels[i] + ((_levels[i + 1] - _levels[i]) * (score - _values[i]) / (_values[i + 1] - _values[i]));
    }

    /// <summary>1 − F(s), computed directly in the tail so that it keeps its precision where F rounds
    /// to 1: (1 − p_m) exp(−(s − v_m) / β) for s ≥ v_m.</summary>
    public double TailProbability(double score)
    {
        if (double.IsNaN(score))
        {
            throw new ArgumentException("cannot calibrate a NaN score", nameof(score));
        }
        return score >= _values[^1]
            ? (1 - _levels[^1]) * Math.Exp(-(score - _values[^1]) / TailScale)
            : 1 - Calibrate(score);
    }

    /// <summary>The calibrator as plain data, for storage.</summary>
    public ScoreCalibratorData ToData() => new(CurrentFormatVersion, Count, [.. _values], [.. _levels], TailScale);

    /// <summary>Rebuilds a calibrator from stored data, checking it.</summary>
    /// <exception cref="ArgumentException">Unknown format version or inconsistent data.</exception>
    public static ScoreCalibrator FromData(ScoreCalibratorData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FormatVersion != CurrentFormatVersion)
        {
            throw new ArgumentException($"score calibrator format version {data.FormatVersion} is not supported (this code reads {CurrentFormatVersion})");
        }
        if (data.Values is null || data.Levels is null)
        {
            throw new ArgumentException("score calibrator data lacks values or levels");
        }
        return new ScoreCalibrator(data.Count, [.. data.Values], [.. data.Levels], data.TailScale);
    }

    /// <summary>The calibrator as JSON (<see cref="ScoreCalibratorData"/>).</summary>
    public string ToJson() => JsonSerializer.Serialize(ToData(), JsonOptions);

    /// <summary>Reads a calibrator written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a calibrator's JSON.</exception>
    /// <exception cref="ArgumentException">The calibrator it holds is inconsistent.</exception>
    public static ScoreCalibrator FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var data = JsonSerializer.Deserialize<ScoreCalibratorData>(json, JsonOptions)
            ?? throw new JsonException("score calibrator JSON is null");
        return FromData(data);
    }
}
