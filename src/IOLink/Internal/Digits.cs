namespace IOLink.Internal;

/// <summary>
/// Whole numbers written as plain ASCII digits, nothing else: the sizes in NumPy type strings and the counts the tool
/// takes. .NET's own parsers accept more than they show (trailing NUL characters even with NumberStyles.None, so
/// "&lt;u2\0" read as "&lt;u2"); every such text in a file or an argument goes through here instead.
/// </summary>
internal static class Digits
{
    /// <summary>Parses <paramref name="text"/> when it is one or more ASCII digits whose value fits a <see cref="long"/>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) || value > (long.MaxValue - (c - '0')) / 10)
            {
                value = 0;
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>Parses <paramref name="text"/> when it is one or more ASCII digits whose value fits an <see cref="int"/>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out int value)
    {
        var ok = TryParse(text, out long wide) && wide <= int.MaxValue;
        value = ok ? (int)wide : 0;
        return ok;
    }
}
