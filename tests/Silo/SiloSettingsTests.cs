namespace Cib.Silo.Tests;

public sealed class SiloSettingsTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(20)]
    public void A_background_niceness_outside_0_to_19_is_refused_by_name(int niceness)
    {
        var e = Assert.Throws<ArgumentException>(() => new SiloSettings { BackgroundNiceness = niceness }.Validate());
        Assert.Contains($"BackgroundNiceness must be between 0 and 19 (got {niceness})", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    public void Background_niceness_from_0_to_19_is_accepted(int niceness) =>
        new SiloSettings { BackgroundNiceness = niceness }.Validate();
}
