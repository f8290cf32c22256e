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

    [Fact]
    public void Command_line_options_set_their_settings_and_the_others_keep_their_defaults()
    {
        var s = SiloSettings.FromArguments(["run", "--data", "d1", "--ingest-parallelism", "3", "--max-backlog", "1,000,000", "--store-busy-timeout", "2.5"]);
        Assert.Equal(("d1", 3, 1_000_000L, TimeSpan.FromSeconds(2.5)), (s.DataDirectory, s.IngestParallelism, s.MaxBacklog, s.StoreBusyTimeout));
        var defaults = new SiloSettings();
        Assert.Equal((defaults.Urls, defaults.MaxConcurrentIngests, defaults.BackgroundNiceness), (s.Urls, s.MaxConcurrentIngests, s.BackgroundNiceness));
    }

    [Theory]
    [InlineData("--ingest-parallelism", "0", "--ingest-parallelism must be a whole number from 1 to 1,024 (got \"0\")")]
    [InlineData("--ingest-parallelism", "two", "--ingest-parallelism must be a whole number from 1 to 1,024 (got \"two\")")]
    [InlineData("--max-concurrent-ingests", "1.5", "--max-concurrent-ingests must be a whole number from 1 to 10,000 (got \"1.5\")")]
    [InlineData("--max-backlog", "-4", "--max-backlog must be a whole number of at least 1 (got \"-4\")")]
    [InlineData("--store-busy-timeout", "0", "--store-busy-timeout must be a number of seconds above 0 and at most 3,600 (got \"0\")")]
    [InlineData("--background-niceness", "20", "--background-niceness must be a whole number from 0 to 19 (got \"20\")")]
    public void A_bad_command_line_value_is_refused_with_the_option_and_the_text_instead_of_falling_back_to_the_default(string option, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => SiloSettings.FromArguments(["run", option, value]));
        Assert.Equal(message, e.Message);
        Assert.Equal("--max-backlog needs a value", Assert.Throws<ArgumentException>(() => SiloSettings.FromArguments(["run", "--max-backlog"])).Message);
    }
}
