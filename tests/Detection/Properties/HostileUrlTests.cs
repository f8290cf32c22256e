using Cib.Detection.CoActivity;

namespace Cib.Detection.Tests.Properties;

public sealed class HostileUrlTests
{
    [Theory]
    [InlineData("https://bücher.de/Katalog", "https://xn--bcher-kva.de/Katalog")] // IDN host: punycode
    [InlineData("https://BÜCHER.de/", "https://xn--bcher-kva.de")]
    [InlineData("http://[::1]:8080/a/", "http://[::1]:8080/a")] // IPv6 keeps its brackets
    [InlineData("http://[2001:DB8::1]/", "http://[2001:db8::1]")]
    [InlineData("https://user:secret@example.com/a", "https://example.com/a")] // credentials never become a target
    [InlineData("https://example.com/a%20b/%7Euser", "https://example.com/a%20b/~user")]
    [InlineData("https://example.com/a b", "https://example.com/a%20b")] // a space is escaped
    [InlineData("https://example.com/é", "https://example.com/%C3%A9")]
    [InlineData("https://example.com/a//", "https://example.com/a")] // every trailing slash goes, at once
    [InlineData("https://example.com/?utm_source=x&UTM_MEDIUM=y", "https://example.com")]
    [InlineData("javascript:alert(1)", "javascript:alert(1)")] // not http(s): kept as given
    [InlineData("data:text/html,<script>alert(1)</script>", "data:text/html,<script>alert(1)</script>")]
    [InlineData("example.com/a?utm_source=x", "example.com/a?utm_source=x")] // no scheme: not a URL to canonicalise
    [InlineData("  https://example.com/a  ", "https://example.com/a")]
    [InlineData("", "")]
    [InlineData("http://", "http://")]
    [InlineData("http://exa mple.com/", "http://exa mple.com/")]
    public void Hostile_urls_canonicalise_without_throwing(string raw, string expected)
    {
        var canonical = UrlCanonicalizer.Canonicalize(raw);
        Assert.Equal(expected, canonical);
        Assert.Equal(canonical, UrlCanonicalizer.Canonicalize(canonical));
    }

    [Fact]
    public void A_url_longer_than_uri_allows_is_kept_as_given()
    {
        var url = "https://example.com/" + new string('a', 70_000);
        Assert.Equal(url, UrlCanonicalizer.Canonicalize(url));
    }
}
