namespace Cib.Detection.CoActivity;

/// <summary>
/// Fixed-width lower-case hexadecimal, the same characters as <c>ToString("x16")</c>: text keys are
/// made for every post (a fingerprint, eight band keys), and the general formatter costs more than
/// the hashing behind them.
/// </summary>
internal static class LowerHex
{
    /// <summary>Writes the low 4 × <paramref name="destination"/>.Length bits of <paramref name="value"/>, most significant digit first.</summary>
    public static void Write(ulong value, Span<char> destination)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = "0123456789abcdef"[(int)(value & 0xF)];
            value >>= 4;
        }
    }

    /// <summary><paramref name="value"/> as 16 hex digits.</summary>
    public static string Of(ulong value) => string.Create(16, value, static (chars, v) => Write(v, chars));
}
