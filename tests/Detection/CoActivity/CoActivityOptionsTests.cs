using Cib.Detection.CoActivity;

namespace Cib.Detection.Tests.CoActivity;

public sealed class CoActivityOptionsTests
{
    private static CoActivityOptions WithWindow(CoActivityKind kind, TimeSpan window) =>
        new() { Windows = new Dictionary<CoActivityKind, TimeSpan>(new CoActivityOptions().Windows) { [kind] = window } };

    [Fact]
    public void A_window_of_months_is_accepted_for_slow_data()
    {
        var options = WithWindow(CoActivityKind.CoLink, TimeSpan.FromDays(92)).Validate();
        Assert.Equal(TimeSpan.FromDays(92), options.WindowFor(CoActivityKind.CoLink));
        Assert.Equal(CoActivityOptions.MaxWindow, WithWindow(CoActivityKind.CoText, CoActivityOptions.MaxWindow).Validate().WindowFor(CoActivityKind.CoText));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(367 * 24 * 3600)]
    public void A_window_outside_zero_to_a_year_is_refused_with_the_kind_named(int seconds)
    {
        var e = Assert.Throws<ArgumentException>(() => WithWindow(CoActivityKind.CoLink, TimeSpan.FromSeconds(seconds)).Validate());
        Assert.Contains("window for co-link must be more than 0 and at most 366 days", e.Message, StringComparison.Ordinal);
    }
}
