using System.Text;

namespace Cib.Detection.CoActivity;

/// <summary>
/// Canonical form of a URL, so that trivially different spellings of one link count as one target:
/// scheme and host lower-cased (an internationalised host in its ASCII, punycode form), user name
/// and password, default ports and fragments dropped, tracking parameters (<c>utm_*</c>,
/// <c>fbclid</c>, <c>gclid</c>, <c>mc_eid</c>, <c>igshid</c>) removed, trailing '/'s on the path
/// removed. A string that is not an absolute http(s) URL (no scheme, <c>javascript:</c>,
/// <c>data:</c>, a malformed host) is returned trimmed, unchanged otherwise.
/// </summary>
/// <remarks>
/// Canonicalising is idempotent: the canonical form is built only from parts that
/// <see cref="Uri"/> has already escaped and normalised, so parsing it again yields the same parts.
/// </remarks>
public static class UrlCanonicalizer
{
    private static readonly string[] TrackingPrefixes = ["utm_", "fbclid", "gclid", "mc_eid", "igshid"];

    /// <summary>
    /// Canonicalises <paramref name="url"/> and then follows <paramref name="redirects"/> (canonical
    /// short → canonical long, as <see cref="UrlRedirects"/> builds them), through chains of at most
    /// <see cref="UrlRedirects.MaxHops"/> hops, stopping at a loop; never throws for a non-null string.
    /// </summary>
    public static string Canonicalize(string url, IReadOnlyDictionary<string, string> redirects)
    {
        ArgumentNullException.ThrowIfNull(redirects);
        var canonical = Canonicalize(url);
        if (redirects.Count == 0)
        {
            return canonical;
        }
        var start = canonical;
        for (var hop = 0; hop < UrlRedirects.MaxHops && redirects.TryGetValue(canonical, out var target); hop++)
        {
            if (string.Equals(target, start, StringComparison.Ordinal))
            {
                break;
            }
            canonical = target;
        }
        return canonical;
    }

    /// <summary>Canonicalises <paramref name="url"/>; never throws for a non-null string.</summary>
    public static string Canonicalize(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var trimmed = url.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return trimmed;
        }
        try
        {
            return Build(uri);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or InvalidOperationException)
        {
            // Uri computes some parts lazily (the IDN host above all) and can fail there on input
            // TryCreate let through; such a URL is kept as given rather than lost.
            return trimmed;
        }
    }

    private static string Build(Uri uri)
    {
        var sb = new StringBuilder(uri.OriginalString.Length);
        // IdnHost drops an IPv6 literal's brackets, which the URL needs.
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        sb.Append(uri.Scheme).Append("://").Append(host.ToLowerInvariant());
        if (!uri.IsDefaultPort)
        {
            sb.Append(':').Append(uri.Port);
        }
        // All trailing slashes go, not one: "/a//" would otherwise become "/a/" and then "/a".
        sb.Append(uri.AbsolutePath.AsSpan().TrimEnd('/'));
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
