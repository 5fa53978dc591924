using IOLink.Internal;

namespace IOLink.Tests.Internal;

/// <summary>Counts in files and arguments are plain ASCII digits: .NET's parsers also take trailing NULs, signs and spaces.</summary>
public sealed class DigitsTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("2", 2L)]
    [InlineData("007", 7L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void PlainDigits_Parse(string text, long expected)
    {
        Assert.True(Digits.TryParse(text, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2\0")]
    [InlineData("\02")]
    [InlineData("+2")]
    [InlineData("-2")]
    [InlineData(" 2")]
    [InlineData("2 ")]
    [InlineData("2a")]
    [InlineData("\u0662")]                     // an Arabic-Indic two: a digit, but not an ASCII one
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999999")]
    public void AnythingElse_IsRefused(string text)
    {
        Assert.False(Digits.TryParse(text, out long _));
        Assert.False(Digits.TryParse(text, out int _));
    }

    [Fact]
    public void IntsStopAtIntMaxValue()
    {
        Assert.True(Digits.TryParse("2147483647", out int max));
        Assert.Equal(int.MaxValue, max);
        Assert.False(Digits.TryParse("2147483648", out int _));
    }
}
