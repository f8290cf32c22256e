using System.Text;

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
        var sb = new StringBuilder(text.Length);
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
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>A 64-bit FNV-1a hash of the normalised text, as 16 hex digits: short keys for co-text targets.</summary>
    public static string Fingerprint(string normalized)
    {
        var h = 14695981039346656037UL;
        foreach (var c in normalized)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        return h.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}
