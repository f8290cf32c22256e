namespace Cib.Detection.CoActivity;

/// <summary>
/// Known redirect pairs (a shortener's link → where it leads) for <see cref="CoActivityOptions.Redirects"/>.
/// Both sides are stored canonicalised, so a pair given with tracking parameters or odd case still applies.
/// </summary>
public static class UrlRedirects
{
    /// <summary>Redirect chains (t.co → bit.ly → the article) are followed this many hops at most.</summary>
    public const int MaxHops = 4;

    /// <summary>
    /// Reads pairs as CSV lines <c>short,long</c> (the first comma separates them; a first line whose
    /// first field is not an http(s) URL is a header and is skipped; blank lines are skipped).
    /// </summary>
    /// <exception cref="FormatException">A line has no comma or an empty side; the message names the line.</exception>
    public static IReadOnlyDictionary<string, string> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            var comma = text.IndexOf(',', StringComparison.Ordinal);
            var from = comma < 0 ? text.Trim() : text[..comma].Trim();
            if (line == 1 && !from.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !from.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var to = comma < 0 ? "" : text[(comma + 1)..].Trim();
            if (from.Length == 0 || to.Length == 0)
            {
                throw new FormatException($"redirects line {line}: expected \"short_url,long_url\" (got \"{text}\")");
            }
            var source = UrlCanonicalizer.Canonicalize(from);
            var target = UrlCanonicalizer.Canonicalize(to);
            if (!string.Equals(source, target, StringComparison.Ordinal))
            {
                map[source] = target;
            }
        }
        return map;
    }
}
