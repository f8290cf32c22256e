using System.Globalization;

namespace Cib.Client;

/// <summary>Filters of the network list; null means "any".</summary>
public sealed record NetworkFilter
{
    /// <summary>active or dormant.</summary>
    public string? Status { get; init; }

    /// <summary>Lowest score.</summary>
    public double? MinScore { get; init; }

    /// <summary>Fewest accounts.</summary>
    public int? MinSize { get; init; }

    /// <summary>Most accounts.</summary>
    public int? MaxSize { get; init; }

    /// <summary>Dominant co-activity kind, for example co-link.</summary>
    public string? Kind { get; init; }

    /// <summary>unreviewed, confirmed, dismissed or escalated.</summary>
    public string? Review { get; init; }

    /// <summary>Networks with a member carrying this label.</summary>
    public string? Label { get; init; }

    /// <summary>Networks whose evidence targets contain this text.</summary>
    public string? Target { get; init; }

    /// <summary>Active at or after this time.</summary>
    public DateTimeOffset? SeenAfter { get; init; }

    /// <summary>Active at or before this time.</summary>
    public DateTimeOffset? SeenBefore { get; init; }

    /// <summary>At most this many (default 100).</summary>
    public int Limit { get; init; } = 100;

    /// <summary>The query string.</summary>
    public string ToQuery()
    {
        var parts = new List<string> { $"limit={Limit}" };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("status", Status);
        Add("minScore", MinScore?.ToString(CultureInfo.InvariantCulture));
        Add("minSize", MinSize?.ToString(CultureInfo.InvariantCulture));
        Add("maxSize", MaxSize?.ToString(CultureInfo.InvariantCulture));
        Add("kind", Kind);
        Add("review", Review);
        Add("label", Label);
        Add("target", Target);
        Add("seenAfter", SeenAfter?.ToString("O", CultureInfo.InvariantCulture));
        Add("seenBefore", SeenBefore?.ToString("O", CultureInfo.InvariantCulture));
        return string.Join('&', parts);
    }
}
