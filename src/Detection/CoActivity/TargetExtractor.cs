using Cib.Detection.Signals;

namespace Cib.Detection.CoActivity;

/// <summary>Maps a signal to the co-activity targets it contributes to, if any.</summary>
public static class TargetExtractor
{
    /// <summary>
    /// Texts shorter than this (after normalisation) are too common ("thanks!") to be evidence of
    /// copy-paste coordination.
    /// </summary>
    public const int MinTextLength = 20;

    /// <summary>A post's hashtag sequence keeps at most this many tags: a longer run is a tag dump, and its head identifies it.</summary>
    public const int MaxSequenceTags = 8;

    private static readonly CoActivityOptions Defaults = new();

    /// <summary>The targets a signal acts on, with the default options.</summary>
    public static IReadOnlyList<CoActivityTarget> Extract(Signal signal) => Extract(signal, Defaults);

    /// <summary>
    /// The targets a signal acts on. A post or reply yields, from its normalised text: a co-text
    /// target when the text is long enough; <see cref="TextSketch.Bands"/> co-near-text band targets when
    /// it also has at least <see cref="CoActivityOptions.NearTextMinBigrams"/> word bigrams; a
    /// co-hashtag-sequence target when it carries two or more hashtags. A signal with a fingerprint
    /// yields a co-fingerprint target and, when the fingerprint is a 64-bit perceptual hash,
    /// d + 1 co-media block targets. A post's own id is not a target (nobody else can author it).
    /// </summary>
    public static IReadOnlyList<CoActivityTarget> Extract(Signal signal, CoActivityOptions options)
    {
        var targets = new List<CoActivityTarget>(1);
        AddTargets(signal, options, targets);
        return targets;
    }

    /// <summary>Appends the targets of <see cref="Extract(Signal, CoActivityOptions)"/> to <paramref name="targets"/>:
    /// the form for a loop over millions of signals, which reuses one list.</summary>
    public static void AddTargets(Signal signal, CoActivityOptions options, List<CoActivityTarget> targets)
    {
        switch (signal.Kind)
        {
            case SignalKind.Repost:
                targets.Add(new(CoActivityKind.CoRepost, signal.Target));
                break;
            case SignalKind.Reply:
                targets.Add(new(CoActivityKind.CoReply, signal.Target));
                break;
            case SignalKind.Like:
                targets.Add(new(CoActivityKind.CoLike, signal.Target));
                break;
            case SignalKind.Follow:
                targets.Add(new(CoActivityKind.CoFollow, signal.Target));
                break;
            case SignalKind.Mention:
                targets.Add(new(CoActivityKind.CoMention, signal.Target.TrimStart('@').ToLowerInvariant()));
                break;
            case SignalKind.Link:
                var url = UrlCanonicalizer.Canonicalize(signal.Target, options.Redirects);
                if (url.Length > 0)
                {
                    targets.Add(new(CoActivityKind.CoLink, url));
                }
                break;
            case SignalKind.Hashtag:
                var tag = signal.Target.TrimStart('#').ToLowerInvariant();
                if (tag.Length > 0)
                {
                    targets.Add(new(CoActivityKind.CoHashtag, tag));
                }
                break;
            case SignalKind.Post:
                break;
        }
        if (signal.Kind is SignalKind.Post or SignalKind.Reply && signal.Text is { } text)
        {
            var normalized = TextNormalizer.Normalize(text);
            if (HashtagSequence(normalized) is { } sequence)
            {
                targets.Add(new(CoActivityKind.CoHashtagSequence, sequence));
            }
            if (normalized.Length >= MinTextLength)
            {
                var hash = TextNormalizer.Fingerprint(normalized);
                targets.Add(new(CoActivityKind.CoText, hash));
                var signature = new uint[TextSketch.Slots];
                if (TextSketch.Compute(normalized, signature) >= options.NearTextMinBigrams)
                {
                    var sketch = new ContentSketch(hash, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(signature), 0, options.NearTextMinSimilarity, 0);
                    for (var band = 0; band < TextSketch.Bands; band++)
                    {
                        targets.Add(new(CoActivityKind.CoNearText, TextSketch.BandKey(signature, band)) { Sketch = sketch, Part = band });
                    }
                }
            }
        }
        if (!string.IsNullOrEmpty(signal.Fingerprint))
        {
            targets.Add(new(CoActivityKind.CoFingerprint, signal.Fingerprint));
            if (PerceptualHash.TryParse(signal.Fingerprint, out var perceptual))
            {
                var blocks = options.MediaMaxDistance + 1;
                var sketch = new ContentSketch(perceptual.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), [], perceptual, 0, options.MediaMaxDistance);
                for (var block = 0; block < blocks; block++)
                {
                    targets.Add(new(CoActivityKind.CoMedia, PerceptualHash.BlockKey(perceptual, block, blocks)) { Sketch = sketch, Part = block });
                }
            }
        }
    }

    /// <summary>
    /// Whether a target counts as one of the account's co-activity actions (the n in an edge's
    /// Jaccard). Near-text bands, media blocks and hashtag sequences are further views of a post
    /// already counted through its co-text, co-fingerprint or hashtag targets; counting them again
    /// would make every poster look hyperactive.
    /// </summary>
    public static bool CountsAsAction(CoActivityTarget target) =>
        target.Kind is not (CoActivityKind.CoNearText or CoActivityKind.CoMedia or CoActivityKind.CoHashtagSequence);

    /// <summary>
    /// The ordered hashtags of a normalised text joined as <c>tag1#tag2#tag3</c> (at most
    /// <see cref="MaxSequenceTags"/>), or null with fewer than two. A hashtag is '#' at the start or
    /// after a character that is not a letter, digit or '_', followed by letters, digits or '_'.
    /// </summary>
    public static string? HashtagSequence(string normalized)
    {
        var first = normalized.IndexOf('#', StringComparison.Ordinal);
        if (first < 0 || normalized.IndexOf('#', first + 1) < 0)
        {
            return null;
        }
        var tags = new List<string>(4);
        for (var i = first; i < normalized.Length && tags.Count < MaxSequenceTags; i++)
        {
            if (normalized[i] != '#' || (i > 0 && IsTagChar(normalized[i - 1])))
            {
                continue;
            }
            var j = i + 1;
            while (j < normalized.Length && IsTagChar(normalized[j]))
            {
                j++;
            }
            if (j > i + 1)
            {
                tags.Add(normalized[(i + 1)..j]);
            }
            i = j - 1;
        }
        return tags.Count >= 2 ? string.Join('#', tags) : null;
    }

    private static bool IsTagChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
