namespace Cib.Detection.CoActivity;

/// <summary>
/// Normalises post text for identical-text co-activity with the coordination network toolkit's
/// rule: lower-case, @mentions removed, runs of whitespace collapsed to one space, trimmed.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Applies the rule. An @mention is '@' followed by letters, digits or '_'.</summary>
    public static string Normalize(string text)
    {
        // Short texts (nearly all posts) stay on the stack; the result is never longer than the input.
        var buffer = text.Length <= 512 ? stackalloc char[text.Length] : new char[text.Length];
        return new string(buffer[..Normalize(text, buffer)]);
    }

    /// <summary>Applies the rule into <paramref name="destination"/> (at least as long as the text)
    /// and returns the length written: the form for hot loops, which cannot allocate a string per message.</summary>
    public static int Normalize(ReadOnlySpan<char> text, Span<char> destination)
    {
        var length = 0;
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '@')
            {
                var j = i + 1;
                while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_'))
                {
                    j++;
                }
                if (j > i + 1)
                {
                    i = j - 1;
                    continue;
                }
            }
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = length > 0;
                continue;
            }
            if (pendingSpace)
            {
                destination[length++] = ' ';
                pendingSpace = false;
            }
            destination[length++] = char.ToLowerInvariant(c);
        }
        return length;
    }

    /// <summary>A 64-bit FNV-1a hash of the normalised text, as 16 hex digits: short keys for co-text targets.</summary>
    public static string Fingerprint(string normalized)
    {
        var h = 14695981039346656037UL;
        foreach (var c in normalized)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        return LowerHex.Of(h);
    }
}
