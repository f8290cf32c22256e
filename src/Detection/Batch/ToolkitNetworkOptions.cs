namespace Cib.Detection.Batch;

/// <summary>
/// Settings of <see cref="ToolkitNetworks"/>, named and defaulted as the coordination network
/// toolkit's command line has them (not as its README says: the README gives a 60 s window and no
/// minimum weight, the CLI defaults to 1 s and 2). The window default here is 60 s, the setting
/// the field uses and the compatibility fixture was computed with.
/// </summary>
public sealed record ToolkitNetworkOptions
{
    /// <summary>Two messages match when their times differ by at most this many seconds,
    /// inclusive (|t1 − t2| ≤ window); fractions allowed; default 60.</summary>
    public double WindowSeconds { get; init; } = 60;

    /// <summary>Edges whose weight is below this are dropped; default 2 (the toolkit CLI's default).</summary>
    public int MinWeight { get; init; } = 2;

    /// <summary>The window in ticks (100 ns), the unit message times are held in.</summary>
    internal long WindowTicks => (long)Math.Round(WindowSeconds * TimeSpan.TicksPerSecond);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public ToolkitNetworkOptions Validate()
    {
        if (!double.IsFinite(WindowSeconds) || WindowSeconds < 0 || WindowSeconds > TimeSpan.FromDays(365).TotalSeconds)
        {
            throw new ArgumentException($"{nameof(WindowSeconds)} must be between 0 and one year in seconds (got {WindowSeconds})", nameof(WindowSeconds));
        }
        if (MinWeight < 1)
        {
            throw new ArgumentException($"{nameof(MinWeight)} must be at least 1 (got {MinWeight})", nameof(MinWeight));
        }
        return this;
    }
}
