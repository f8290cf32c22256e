using Cib.Detection.Signals;

namespace Cib.Detection.CoActivity;

/// <summary>Maps a signal to the co-activity target it contributes to, if any.</summary>
public static class TargetExtractor
{
    /// <summary>
    /// Texts shorter than this (after normalisation) are too common ("thanks!") to be evidence of
    /// copy-paste coordination.
    /// </summary>
    public const int MinTextLength = 20;

    /// <summary>
    /// The targets a signal acts on. A post yields a co-text target when its normalised text is
    /// long enough and a co-fingerprint target when it carries a fingerprint; a post's own id is not
    /// a co-activity target (nobody else can author it).
    /// </summary>
    public static IEnumerable<CoActivityTarget> Extract(Signal signal)
    {
        switch (signal.Kind)
        {
            case SignalKind.Repost:
                yield return new(CoActivityKind.CoRepost, signal.Target);
                break;
            case SignalKind.Reply:
                yield return new(CoActivityKind.CoReply, signal.Target);
                break;
            case SignalKind.Like:
                yield return new(CoActivityKind.CoLike, signal.Target);
                break;
            case SignalKind.Follow:
                yield return new(CoActivityKind.CoFollow, signal.Target);
                break;
            case SignalKind.Mention:
                yield return new(CoActivityKind.CoMention, signal.Target.TrimStart('@').ToLowerInvariant());
                break;
            case SignalKind.Link:
                var url = UrlCanonicalizer.Canonicalize(signal.Target);
                if (url.Length > 0)
                {
                    yield return new(CoActivityKind.CoLink, url);
                }
                break;
            case SignalKind.Hashtag:
                var tag = signal.Target.TrimStart('#').ToLowerInvariant();
                if (tag.Length > 0)
                {
                    yield return new(CoActivityKind.CoHashtag, tag);
                }
                break;
            case SignalKind.Post:
                break;
        }
        if (signal.Kind is SignalKind.Post or SignalKind.Reply && signal.Text is { } text)
        {
            var normalized = TextNormalizer.Normalize(text);
            if (normalized.Length >= MinTextLength)
            {
                yield return new(CoActivityKind.CoText, TextNormalizer.Fingerprint(normalized));
            }
        }
        if (!string.IsNullOrEmpty(signal.Fingerprint))
        {
            yield return new(CoActivityKind.CoFingerprint, signal.Fingerprint);
        }
    }
}
