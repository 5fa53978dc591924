namespace IOLink.Cli.Tests;

public sealed class NumbersTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("007", 7L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Digits_AreCounts(string text, long expected)
    {
        Assert.True(Numbers.TryParseDigits(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1\0")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,000")]
    [InlineData("١")]
    [InlineData("9223372036854775808")]
    public void AnythingButAsciiDigits_IsRefused(string text)
    {
        Assert.False(Numbers.TryParseDigits(text, out _));
    }
}
