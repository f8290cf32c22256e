namespace Cib.Detection.Batch;

/// <summary>
/// The toolkit's text normalisation (lower-case, @mentions removed, whitespace runs collapsed,
/// trimmed) written into a caller's buffer. It is <see cref="CoActivity.TextNormalizer.Normalize"/>
/// without the string it allocates per message, which a million-row read cannot afford; a test
/// holds the two equal.
/// </summary>
internal static class ToolkitText
{
    /// <summary>Normalises <paramref name="text"/> into <paramref name="destination"/> (at least as
    /// long as the text: the result is never longer) and returns the length written.</summary>
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
}
