using System.Runtime.CompilerServices;

namespace Cib.Detection.Batch;

/// <summary>
/// <see cref="CoActivity.TextNormalizer"/>'s rule on ASCII bytes, without decoding: lower-case,
/// @mentions ('@' and a run of letters, digits or '_') removed, whitespace runs collapsed to one
/// space and trimmed. On ASCII, char.IsLetterOrDigit is [0-9A-Za-z], char.IsWhiteSpace is tab,
/// line feed, vertical tab, form feed, carriage return and space, and lower-casing maps A-Z only,
/// so the result equals TextNormalizer's, byte for char (a test holds the two together).
/// </summary>
internal static class AsciiTextNormalizer
{
    /// <summary>Normalises <paramref name="text"/> (ASCII only) into <paramref name="destination"/>
    /// (at least as long) and returns the length written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Normalize(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        var length = 0;
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '@')
            {
                var j = i + 1;
                while (j < text.Length && IsWord(text[j]))
                {
                    j++;
                }
                if (j > i + 1)
                {
                    i = j - 1;
                    continue;
                }
            }
            if (c is (byte)' ' or (>= 0x09 and <= 0x0D))
            {
                pendingSpace = length > 0;
                continue;
            }
            if (pendingSpace)
            {
                destination[length++] = (byte)' ';
                pendingSpace = false;
            }
            destination[length++] = c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c + 32) : c;
        }
        return length;
    }

    private static bool IsWord(byte c) => c is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (byte)'_';
}
