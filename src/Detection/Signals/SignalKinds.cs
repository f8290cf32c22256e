namespace Cib.Detection.Signals;

/// <summary>Wire names of <see cref="SignalKind"/>: lower case, as in NDJSON and the API.</summary>
public static class SignalKinds
{
    private static readonly string[] Names = ["post", "repost", "reply", "like", "follow", "mention", "link", "hashtag"];

    /// <summary>The wire name of a kind.</summary>
    public static string ToWire(this SignalKind kind) => Names[(int)kind];

    /// <summary>Parses a wire name (case-insensitive).</summary>
    public static bool TryParse(string? name, out SignalKind kind)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                kind = (SignalKind)i;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>All wire names, for error messages.</summary>
    public static string AllNames => string.Join(", ", Names);
}
