using System.Text;
using Cib.Detection.Signals;
using FsCheck;
using FsCheck.Fluent;

namespace Cib.Detection.Tests.Properties;

/// <summary>Generators shared by the property tests, and the one way they are checked.</summary>
internal static class Generators
{
    /// <summary>Checks <paramref name="property"/> on <paramref name="tests"/> generated cases; a
    /// failure throws with the shrunk counterexample, which fails the enclosing fact.</summary>
    public static void Holds<T>(Arbitrary<T> arbitrary, Func<T, bool> property, int tests = 300) =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(tests), Prop.ForAll(arbitrary, property));

    /// <summary>One Unicode scalar value as a string: printable ASCII most often, then other BMP
    /// characters (surrogates excluded), characters outside the BMP (a surrogate pair) and,
    /// when <paramref name="controls"/>, control characters.</summary>
    public static Gen<string> Scalar(bool controls)
    {
        List<(int, Gen<string>)> choices =
        [
            (6, Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString())),
            (2, Gen.Choose(0xA0, 0xFFFD).Where(c => c is < 0xD800 or > 0xDFFF).Select(c => ((char)c).ToString())),
            (1, Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32)),
            (1, Gen.Elements(" ", "\"", "\\", ",", "@", "#", "\u2028", "\u00A0", "İ", "ß", "K")),
        ];
        if (controls)
        {
            choices.Add((1, Gen.Elements("\n", "\r", "\t", "\0", "\u001F", "\u007F", "\u0085")));
        }
        return Gen.Frequency(choices);
    }

    /// <summary>Valid UTF-16 text (no lone surrogates) of up to <paramref name="maxUnits"/> code units.</summary>
    public static Gen<string> Text(bool controls, int maxUnits) =>
        Gen.ListOf(Scalar(controls)).Select(parts => Concat(parts, maxUnits));

    /// <summary>An identifier the readers accept: 1 to 256 code units, no control characters.</summary>
    public static Gen<string> Identifier { get; } =
        Gen.NonEmptyListOf(Scalar(controls: false)).Select(parts => Concat(parts, 256));

    /// <summary>A fingerprint, handle or display name: like an identifier but possibly empty.</summary>
    public static Gen<string> Label { get; } = Text(controls: false, 256);

    /// <summary>An instant in 2000-2100, to the tick.</summary>
    public static Gen<DateTimeOffset> Instant { get; } =
        from day in Gen.Choose(0, 36_889)
        from second in Gen.Choose(0, 86_399)
        from tick in Gen.Choose(0, 9_999_999)
        select new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day).AddSeconds(second).AddTicks(tick);

    /// <summary>A signal every reader must accept and give back unchanged.</summary>
    public static Gen<Signal> Signal { get; } =
        from id in Identifier
        from account in Identifier
        from kind in Gen.Elements(Enum.GetValues<SignalKind>())
        from target in Identifier
        from timestamp in Instant
        from text in Gen.OrNull(Gen.Frequency((9, Text(controls: true, 500)), (1, Text(controls: true, 10_000).Resize(3000))))
        from fingerprint in Gen.OrNull(Label)
        from profile in Gen.OrNull(Profile)
        select new Signal(id, account, kind, target, timestamp, text, fingerprint, profile);

    private static Gen<AccountProfile> Profile { get; } =
        (from created in Gen.Frequency((1, Gen.Constant<DateTimeOffset?>(null)), (2, Instant.Select(t => (DateTimeOffset?)t)))
         from handle in Gen.OrNull(Label)
         from display in Gen.OrNull(Label)
         from followers in Count
         from following in Count
         from posts in Count
         select new AccountProfile(created, handle, display, followers, following, posts))
        .Where(p => p.CreatedAt is not null || p.Handle is not null || p.DisplayName is not null
            || p.Followers is not null || p.Following is not null || p.Posts is not null);

    /// <summary>A follower, following or post count or none, the bounds (0 and 10^12) among them.</summary>
    private static Gen<long?> Count { get; } =
        Gen.Frequency(
            (3, Gen.Constant<long?>(null)),
            (1, Gen.Elements<long?>(0L, 1_000_000_000_000L)),
            (4, Gen.Choose(0, int.MaxValue).Select(n => (long?)n)),
            (1, Gen.Choose(0, 1_000_000).Select(n => (long?)(n * 1_000_000L))));

    /// <summary>Joins scalars, stopping before one would take the text past <paramref name="maxUnits"/>
    /// (so no surrogate pair is cut in half).</summary>
    private static string Concat(IEnumerable<string> parts, int maxUnits)
    {
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            if (builder.Length + part.Length > maxUnits)
            {
                break;
            }
            builder.Append(part);
        }
        return builder.ToString();
    }
}
