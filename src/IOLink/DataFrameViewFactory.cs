namespace IOLink;

/// <summary>One column of a table to make: its name, data type (a scalar number type, or UTF8_STRING), unit, and BINARY for a bool column.</summary>
/// <param name="Name">The column's name, unique in its table.</param>
/// <param name="Type">A scalar number type (INT32, DOUBLE...), or <see cref="DataTypeId.UTF8_STRING"/> for text.</param>
/// <param name="Unit">The unit of its values ("" for none).</param>
/// <param name="Interpretation">BINARY for a column of bools (UINT8 of 0 and 1); UNKNOWN otherwise.</param>
public readonly record struct DataFrameColumn(string Name, DataType Type, string Unit = "", ImageInterpretation Interpretation = ImageInterpretation.UNKNOWN);

/// <summary>Makes tables (<see cref="DataFrameView"/>).</summary>
public static class DataFrameViewFactory
{
    /// <summary>A table in memory with <paramref name="columns"/> and <paramref name="rows"/> rows of 0 (and "" in text columns).</summary>
    /// <exception cref="ArgumentException">A column's name is empty or repeated, or its type is not a scalar number type or UTF8_STRING.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The row count is negative or above 2^31 - 1.</exception>
    public static DataFrameView Allocate(IReadOnlyList<DataFrameColumn> columns, long rows = 0)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (rows is < 0 or > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"A table has 0 to {int.MaxValue} rows.");
        }

        var frame = new DataFrameView(rows);
        try
        {
            foreach (var column in columns)
            {
                frame.AddColumn(column.Name ?? throw new ArgumentNullException(nameof(columns), "A column's name is null."), column.Type, column.Unit ?? string.Empty, column.Interpretation);
            }

            return frame;
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }
}
