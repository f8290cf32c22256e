using Cib.Detection.CoActivity;
using FsCheck;
using FsCheck.Fluent;

namespace Cib.Detection.Tests.Properties;

public sealed class UrlCanonicalizerProperties
{
    /// <summary>URL-shaped strings built from the parts that trip canonicalisers up.</summary>
    private static readonly Gen<string> Urls =
        from scheme in Gen.Elements("http://", "https://", "HTTP://", "HtTpS://", "ftp://", "javascript:", "data:text/html,", "", "//", "http:", "http:/", " http://")
        from userinfo in Gen.Elements("", "", "user@", "user:pa%20ss@", "@", "a:b:c@")
        from host in Gen.Elements("example.com", "EXAMPLE.Org", "bücher.de", "xn--bcher-kva.de", "ÖBB.AT", "[::1]", "[2001:DB8::1]",
            "[fe80::1%25eth0]", "127.0.0.1", "0x7f.1", "a..b", "", "exa mple.com", "☃.net", "example.com.", "a_b.com", "例子.测试", "[::ffff:1.2.3.4]")
        from port in Gen.Elements("", "", ":80", ":443", ":8080", ":0", ":99999", ":", ":65535")
        from segments in Gen.ListOf(Gen.Elements("a", "B", "%41", "%2e%2e", "..", ".", "", "é", " ", "%zz", "%2F", "~u", "%7E", "%25", "a%20b", "\u00a0", "😀", "%F0%9F%98%80", "%C0%AF"))
        from slashes in Gen.Elements("", "/", "//", "///")
        from query in Gen.ListOf(Gen.Elements("utm_source=x", "UTM_Medium=y", "utm_=", "id=3", "a=%26", "fbclid=1", "q=é", "", "b", "x=1?y", "c=%zz", "gclid=2&"))
        from fragment in Gen.Elements("", "#", "#frag", "#utm_source=x", "#é")
        select scheme + userinfo + host + port + (segments.Count > 0 ? "/" + string.Join("/", segments) : "") + slashes
            + (query.Count > 0 ? "?" + string.Join("&", query) : "") + fragment;

    private static readonly Gen<string> Anything = Gen.Frequency(
        (4, Urls),
        (1, Generators.Text(controls: true, 300)),
        (1, Generators.Text(controls: false, 100).Select(s => "http://example.com/" + s)),
        (1, Gen.Choose(0, 200).Select(n => "https://example.com/" + new string('a', n * 500))));

    /// <summary>The canonical form as <see cref="Uri"/> reads it, when it is an http(s) URL.</summary>
    private static Uri? AsHttp(string canonical) =>
        Uri.TryCreate(canonical, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;

    [Fact]
    public void Canonicalising_never_throws_and_is_idempotent()
    {
        Generators.Holds(Anything.ToArbitrary(), url =>
        {
            var once = UrlCanonicalizer.Canonicalize(url);
            return UrlCanonicalizer.Canonicalize(once) == once;
        }, tests: 3000);
    }

    [Fact]
    public void Canonical_http_urls_have_a_lower_case_host_and_no_tracking_parameters_userinfo_or_fragment()
    {
        Generators.Holds(Urls.ToArbitrary(), url =>
        {
            var canonical = UrlCanonicalizer.Canonicalize(url);
            if (AsHttp(canonical) is not { } uri || AsHttp(url.Trim()) is null)
            {
                return true;
            }
            var authority = canonical[(canonical.IndexOf("://", StringComparison.Ordinal) + 3)..];
            var end = authority.IndexOfAny(['/', '?']);
            authority = end < 0 ? authority : authority[..end];
            return authority == authority.ToLowerInvariant()
                && !authority.Contains('@', StringComparison.Ordinal)
                && uri.Fragment.Length == 0
                && uri.Query.TrimStart('?').Split('&').All(p => !p.StartsWith("utm_", StringComparison.OrdinalIgnoreCase)
                    && !p.StartsWith("fbclid", StringComparison.OrdinalIgnoreCase) && !p.StartsWith("gclid", StringComparison.OrdinalIgnoreCase));
        }, tests: 3000);
    }

    [Fact]
    public void Spellings_of_one_link_share_a_canonical_form()
    {
        var spellings =
            from path in Gen.Elements("", "/", "/a", "/a/b")
            from scheme in Gen.Elements("https://", "HTTPS://")
            from host in Gen.Elements("example.com", "EXAMPLE.com", "Example.COM")
            from port in Gen.Elements("", ":443")
            from trailing in Gen.Elements("", "/", "//")
            from tracking in Gen.Elements("", "?utm_source=x", "?utm_medium=y&fbclid=1", "#top")
            select (path, scheme + host + port + path + trailing + tracking);
        Generators.Holds(spellings.ToArbitrary(), p =>
            UrlCanonicalizer.Canonicalize(p.Item2) == UrlCanonicalizer.Canonicalize("https://example.com" + p.path), tests: 500);
    }
}
