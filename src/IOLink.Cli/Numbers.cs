using System.Globalization;

namespace IOLink.Cli;

/// <summary>Numbers as the tool's options take them.</summary>
internal static class Numbers
{
    /// <summary>
    /// A count or an index written with ASCII digits only: no sign, no spaces, no separators. (.NET's own parser
    /// would also take trailing NUL characters.)
    /// </summary>
    public static bool TryParseDigits(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        return !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
