using System.ComponentModel;

namespace IOLink.Python;

/// <summary>The text columns of a <see cref="DataFrameView"/> for Python's <c>DataFrameView</c>, which cannot pass spans of strings.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PythonTables
{
    /// <summary><paramref name="count"/> strings of text column <paramref name="column"/> from row <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentException">The column is numeric.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rows are not in the table.</exception>
    public static string[] ReadStrings(DataFrameView frame, int column, long offset, long count)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, frame.RowCount);
        var strings = new string[count];
        frame.Read(column, offset, count, strings);
        return strings;
    }

    /// <summary>Writes <paramref name="strings"/> into text column <paramref name="column"/> from row <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentException">The column is numeric, or a string is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rows are not in the table.</exception>
    public static void WriteStrings(DataFrameView frame, int column, long offset, string[] strings)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(strings);
        frame.Write(column, offset, strings);
    }
}
