using System.Text;

namespace Cib.Detection.CoActivity;

/// <summary>
/// Canonical form of a URL, so that trivially different spellings of one link count as one target:
/// scheme and host lower-cased, default ports and fragments dropped, tracking parameters
/// (<c>utm_*</c>, <c>fbclid</c>, <c>gclid</c>) removed, a trailing '/' on the path removed.
/// A string that is not an absolute http(s) URL is returned trimmed, unchanged otherwise.
/// </summary>
public static class UrlCanonicalizer
{
    private static readonly string[] TrackingPrefixes = ["utm_", "fbclid", "gclid", "mc_eid", "igshid"];

    /// <summary>Canonicalises <paramref name="url"/>; never throws.</summary>
    public static string Canonicalize(string url)
    {
        var trimmed = url.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return trimmed;
        }
        var sb = new StringBuilder(trimmed.Length);
        sb.Append(uri.Scheme).Append("://").Append(uri.IdnHost.ToLowerInvariant());
        if (!uri.IsDefaultPort)
        {
            sb.Append(':').Append(uri.Port);
        }
        var path = uri.AbsolutePath;
        if (path.Length > 1 && path.EndsWith('/'))
        {
            path = path[..^1];
        }
        sb.Append(path == "/" ? string.Empty : path);
        var query = uri.Query.TrimStart('?');
        if (query.Length > 0)
        {
            var kept = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !TrackingPrefixes.Any(t => p.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
                .ToArray();
            if (kept.Length > 0)
            {
                sb.Append('?').Append(string.Join('&', kept));
            }
        }
        return sb.ToString();
    }
}
