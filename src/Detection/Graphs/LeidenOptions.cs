namespace Cib.Detection.Graphs;

/// <summary>Settings of <see cref="Leiden.FindCommunities"/>; the defaults follow Traag, Waltman and van Eck (2019).</summary>
public sealed record LeidenOptions
{
    /// <summary>
    /// Resolution γ of modularity (default 1, the classic modularity). Larger values favour more,
    /// smaller communities; 0 merges every connected component into one community. Must be finite and ≥ 0.
    /// </summary>
    public double Resolution { get; init; } = 1.0;

    /// <summary>
    /// Randomness θ of the refinement phase (default 0.01, as in the paper's experiments): a vertex
    /// joins a sub-community with probability proportional to exp(ΔH / θ), with ΔH measured in units
    /// of edge weight. Smaller is greedier. Must be finite and &gt; 0.
    /// </summary>
    public double Randomness { get; init; } = 0.01;

    /// <summary>Seed of the random visiting orders and refinement choices (default 0); same seed, same result.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Maximum number of Leiden iterations (default 10). Each iteration starts from the previous
    /// partition; the run stops earlier as soon as an iteration leaves the partition unchanged.
    /// Must be ≥ 1.
    /// </summary>
    public int MaxIterations { get; init; } = 10;

    /// <summary>
    /// Whether to run the refinement phase (default true). False gives the Louvain algorithm with
    /// Leiden's fast local moving: aggregation by the unrefined partition, with no connectivity guarantee.
    /// </summary>
    public bool Refine { get; init; } = true;

    internal void Validate()
    {
        if (!double.IsFinite(Resolution) || Resolution < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Resolution), Resolution, "Resolution must be finite and >= 0; use 1 for classic modularity");
        }
        if (!double.IsFinite(Randomness) || Randomness <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Randomness), Randomness, "Randomness must be finite and > 0; use 0.01 as in the Leiden paper");
        }
        if (MaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be at least 1");
        }
    }
}
