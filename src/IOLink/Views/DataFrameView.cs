using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IOLink;

/// <summary>
/// A table stored by column: each column has a name, a data type (a scalar number type, or
/// <see cref="DataTypeId.UTF8_STRING"/> for text), an optional unit and, for a column of 0 and 1 (bool), the BINARY
/// interpretation. <see cref="Shape"/> is (columns, rows). READ, WRITE and RESHAPE (columns and rows added and
/// removed). Made by <see cref="DataFrameViewFactory"/>.
/// </summary>
/// <remarks>
/// Each numeric column is one-dimensional memory: <see cref="ColumnView"/> gives it as an <see cref="ImageView"/>
/// (MEMORY_ACCESS and WRITE) over the same memory, which NumPy can share. Adding or removing rows gives every column
/// new memory; column views taken before keep the old memory (and their values), as views of a reshaped image do.
/// All members are safe to call from several threads (each takes the table's lock); a column view's memory is not
/// guarded by it.
/// </remarks>
public sealed class DataFrameView : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<Column> _columns = [];
    private long _rows;
    private bool _disposed;

    internal DataFrameView(long rows) => _rows = rows;

    /// <summary>What the table can do: READ, WRITE and RESHAPE; NONE once disposed.</summary>
    public ImageCapability Capabilities
    {
        get
        {
            lock (_gate)
            {
                return _disposed ? ImageCapability.NONE : ImageCapability.READ | ImageCapability.WRITE | ImageCapability.RESHAPE;
            }
        }
    }

    /// <summary>Whether <see cref="Dispose"/> has been called.</summary>
    public bool IsDisposed
    {
        get
        {
            lock (_gate)
            {
                return _disposed;
            }
        }
    }

    /// <summary>(columns, rows), as IOLink gives a table's shape.</summary>
    /// <exception cref="ObjectDisposedException">The table has been disposed.</exception>
    public VectorXu64 Shape
    {
        get
        {
            lock (_gate)
            {
                ThrowIfDisposed();
                return new VectorXu64((ulong)_columns.Count, (ulong)_rows);
            }
        }
    }

    /// <summary>The number of columns.</summary>
    public int ColumnCount => (int)Shape[0];

    /// <summary>The number of rows.</summary>
    public long RowCount => (long)Shape[1];

    /// <summary>The name of column <paramref name="column"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such column; the message gives the count.</exception>
    public string ColumnName(int column)
    {
        lock (_gate)
        {
            return Get(column).Name;
        }
    }

    /// <summary>The index of the column named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No column has that name; the message lists the names.</exception>
    public int ColumnIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            ThrowIfDisposed();
            return IndexOf(name);
        }
    }

    /// <summary>The data type of column <paramref name="column"/>: a scalar number type or UTF8_STRING.</summary>
    public DataType ColumnDataType(int column)
    {
        lock (_gate)
        {
            return Get(column).Type;
        }
    }

    /// <summary>What the values of column <paramref name="column"/> mean: BINARY for a bool column, UNKNOWN otherwise unless set.</summary>
    public ImageInterpretation ColumnInterpretation(int column)
    {
        lock (_gate)
        {
            return Get(column).Interpretation;
        }
    }

    /// <summary>The unit of column <paramref name="column"/> ("" when none).</summary>
    public string ColumnUnit(int column)
    {
        lock (_gate)
        {
            return Get(column).Unit;
        }
    }

    /// <summary>Sets the unit of column <paramref name="column"/>.</summary>
    public void SetColumnUnit(int column, string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        lock (_gate)
        {
            Get(column).Unit = unit;
        }
    }

    /// <summary>
    /// Column <paramref name="column"/> (numeric) as a one-dimensional view of <see cref="RowCount"/> elements over the
    /// table's memory (MEMORY_ACCESS, READ, WRITE; BINARY interpretation for a bool column): a write through either is
    /// seen through the other. A new handle each call; it keeps the memory alive after the table is disposed or its
    /// rows change.
    /// </summary>
    /// <exception cref="ArgumentException">The column holds text, or the table has no rows (a view has at least one element).</exception>
    public ImageView ColumnView(int column)
    {
        lock (_gate)
        {
            var c = Get(column);
            return ImageViewFactory.Share(Numbers(c, nameof(ColumnView)));
        }
    }

    /// <summary>Copies <paramref name="count"/> values of a numeric column from row <paramref name="offset"/> into <paramref name="destination"/> (their bytes, in this machine's order).</summary>
    /// <exception cref="ArgumentException">The column holds text, or the destination's length is not count values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rows are not in the table.</exception>
    public void Read(int column, long offset, long count, Span<byte> destination)
    {
        lock (_gate)
        {
            var c = Get(column);
            var region = Rows(c, offset, count, destination.Length, nameof(destination));
            if (region is { } r)
            {
                Numbers(c, nameof(Read)).ReadRegion(r, destination);
            }
        }
    }

    /// <summary>Copies <paramref name="count"/> values into a numeric column from row <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentException">The column holds text, or the source's length is not count values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rows are not in the table.</exception>
    public void Write(int column, long offset, long count, ReadOnlySpan<byte> source)
    {
        lock (_gate)
        {
            var c = Get(column);
            var region = Rows(c, offset, count, source.Length, nameof(source));
            if (region is { } r)
            {
                Numbers(c, nameof(Write)).WriteRegion(r, source);
            }
        }
    }

    /// <summary>Copies <paramref name="count"/> strings of a text column from row <paramref name="offset"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The column is numeric, or the destination is shorter than count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rows are not in the table.</exception>
    public void Read(int column, long offset, long count, Span<string> destination)
    {
        lock (_gate)
        {
            var c = Get(column);
            CheckRows(offset, count);
            if (destination.Length < count)
            {
                throw new ArgumentException($"The destination holds {destination.Length} strings; {count} were asked for.", nameof(destination));
            }

            var strings = Strings(c, nameof(Read));
            for (var i = 0; i < count; i++)
            {
                destination[i] = strings[(int)offset + i];
            }
        }
    }

    /// <summary>Copies <paramref name="source"/> into a text column from row <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentException">The column is numeric, or a string is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rows are not in the table.</exception>
    public void Write(int column, long offset, ReadOnlySpan<string> source)
    {
        lock (_gate)
        {
            var c = Get(column);
            CheckRows(offset, source.Length);
            var strings = Strings(c, nameof(Write));
            for (var i = 0; i < source.Length; i++)
            {
                strings[(int)offset + i] = source[i] ?? throw new ArgumentException($"String {i} is null; a text column holds strings (\"\" for none).", nameof(source));
            }
        }
    }

    /// <summary>The value at <paramref name="row"/> of <paramref name="column"/>: <typeparamref name="T"/> is the column's number type (byte for UINT8 and bool columns), or string for text.</summary>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not the column's type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No such column or row.</exception>
    public T At<T>(int column, long row)
    {
        lock (_gate)
        {
            var c = Get(column);
            CheckRows(row, 1);
            if (typeof(T) == typeof(string))
            {
                return (T)(object)Strings(c, nameof(At))[(int)row];
            }

            var numbers = Numbers(c, nameof(At));
            CheckValueType<T>(c);
            T value = default!;
            numbers.Read(new VectorXu64((ulong)row), MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref Unsafe.As<T, byte>(ref value), Unsafe.SizeOf<T>())));
            return value;
        }
    }

    /// <summary>The value at <paramref name="row"/> of the column named <paramref name="name"/>.</summary>
    public T At<T>(string name, long row) => At<T>(ColumnIndex(name), row);

    /// <summary>Sets the value at <paramref name="row"/> of <paramref name="column"/> (<typeparamref name="T"/> as for <see cref="At{T}(int, long)"/>).</summary>
    public void SetAt<T>(int column, long row, T value)
    {
        lock (_gate)
        {
            var c = Get(column);
            CheckRows(row, 1);
            if (typeof(T) == typeof(string))
            {
                Strings(c, nameof(SetAt))[(int)row] = (string?)(object?)value ?? throw new ArgumentNullException(nameof(value));
                return;
            }

            var numbers = Numbers(c, nameof(SetAt));
            CheckValueType<T>(c);
            numbers.Write(new VectorXu64((ulong)row), MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref value), Unsafe.SizeOf<T>()));
        }
    }

    /// <summary>Sets the value at <paramref name="row"/> of the column named <paramref name="name"/>.</summary>
    public void SetAt<T>(string name, long row, T value) => SetAt(ColumnIndex(name), row, value);

    /// <summary>
    /// Adds a column at the end, of <paramref name="type"/> (a scalar number type, or UTF8_STRING), its values 0 (or "");
    /// <paramref name="interpretation"/> BINARY makes it a bool column (UINT8 of 0 and 1).
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or taken, or the type is not a scalar number type or UTF8_STRING.</exception>
    public void AddColumn(string name, DataType type, string unit = "", ImageInterpretation interpretation = ImageInterpretation.UNKNOWN)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(unit);
        lock (_gate)
        {
            ThrowIfDisposed();
            CheckNewColumn(name, type, interpretation);
            var column = new Column(name, type, unit, interpretation);
            if (type.IsString)
            {
                column.Text = [.. Enumerable.Repeat(string.Empty, checked((int)_rows))];
            }
            else if (_rows > 0)
            {
                column.Values = NewNumbers(type, interpretation, _rows);
            }

            _columns.Add(column);
        }
    }

    /// <summary>Adds a column over <paramref name="values"/>, a one-dimensional numeric view of <see cref="RowCount"/> elements (or any rows, for the first column): the table reads and writes it in place, with no copy, until its rows change.</summary>
    /// <exception cref="ArgumentException">The name is taken, or the view is not one-dimensional, numeric, scalar, of the table's row count, readable and writable.</exception>
    public void AddColumn(string name, ImageView values, string unit = "")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(unit);
        lock (_gate)
        {
            ThrowIfDisposed();
            CheckNewColumn(name, values.DataType, values.ImageInterpretation);
            var rows = (long)values.Shape[0];
            if (values.DimensionCount != 1 || rows > int.MaxValue || (_columns.Count > 0 && rows != _rows) || !values.Support(ImageCapability.READ | ImageCapability.WRITE))
            {
                throw new ArgumentException(
                    $"A column is a readable and writable view of one dimension with the table's {_rows} row(s) (at most 2^31 - 1); this one is {values}.", nameof(values));
            }

            var own = ImageViewFactory.Share(values);
            _rows = rows;
            _columns.Add(new Column(name, values.DataType, unit, values.ImageInterpretation) { Values = own });
        }
    }

    /// <summary>Removes column <paramref name="column"/>; views of it keep its memory.</summary>
    public void RemoveColumn(int column)
    {
        lock (_gate)
        {
            var c = Get(column);
            _columns.RemoveAt(column);
            c.Values?.Dispose();
        }
    }

    /// <summary>Inserts <paramref name="count"/> rows of 0 (or "") before row <paramref name="offset"/> (<see cref="RowCount"/> appends). Every numeric column gets new memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is not from 0 to RowCount, or the count is negative or too large.</exception>
    public void AddRows(long offset, long count)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (offset < 0 || offset > _rows)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Rows are inserted before a row from 0 to {_rows} (the table has {_rows} row(s)).");
            }

            if (count < 0 || count > int.MaxValue - _rows)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, $"A table has at most {int.MaxValue} rows; {count} cannot be added to {_rows}.");
            }

            Resize(offset, count, insert: true);
        }
    }

    /// <summary>Removes <paramref name="count"/> rows from row <paramref name="offset"/>. Every numeric column gets new memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rows are not in the table.</exception>
    public void RemoveRows(long offset, long count)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            CheckRows(offset, count);
            Resize(offset, count, insert: false);
        }
    }

    /// <summary>Releases the table's hold on its columns; column views given out stay usable. A second call does nothing.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var c in _columns)
            {
                c.Values?.Dispose();
            }

            _columns.Clear();
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return "DataFrameView(disposed)";
            }

            var columns = string.Join(", ", _columns.Select(c => $"{c.Name}: {(c.Interpretation == ImageInterpretation.BINARY ? "BINARY" : c.Type.ToString())}{(c.Unit.Length > 0 ? $" [{c.Unit}]" : string.Empty)}"));
            return $"DataFrameView({_columns.Count} column(s), {_rows} row(s): {columns})";
        }
    }

    private sealed class Column(string name, DataType type, string unit, ImageInterpretation interpretation)
    {
        public string Name { get; } = name;

        public DataType Type { get; } = type;

        public string Unit { get; set; } = unit;

        public ImageInterpretation Interpretation { get; } = interpretation;

        /// <summary>A numeric column's values (null while the table has no rows).</summary>
        public ImageView? Values { get; set; }

        /// <summary>A text column's strings.</summary>
        public List<string>? Text { get; set; }
    }

    private static ImageView NewNumbers(DataType type, ImageInterpretation interpretation, long rows)
    {
        var properties = new ImageProperties { ImageInterpretation = interpretation };
        return ImageViewFactory.Allocate(new VectorXu64((ulong)rows), type, properties);
    }

    private void CheckNewColumn(string name, DataType type, ImageInterpretation interpretation)
    {
        if (name.Length == 0)
        {
            throw new ArgumentException("A column needs a name.", nameof(name));
        }

        if (_columns.Exists(c => c.Name == name))
        {
            throw new ArgumentException($"The table has a column named \"{name}\" already; column names are unique.", nameof(name));
        }

        if (!type.IsString && (!type.IsElementType || type.Dimension != 1))
        {
            throw new ArgumentException($"A column holds one number per row (a scalar type such as INT32 or DOUBLE) or text (UTF8_STRING), not {type}.", nameof(type));
        }

        if (interpretation == ImageInterpretation.BINARY && type != DataTypeId.UINT8)
        {
            throw new ArgumentException($"A bool (BINARY) column is UINT8 of 0 and 1, not {type}.", nameof(interpretation));
        }
    }

    private Column Get(int column)
    {
        ThrowIfDisposed();
        if ((uint)column >= (uint)_columns.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"Column {column} does not exist; the table has {_columns.Count} column(s), numbered from 0.");
        }

        return _columns[column];
    }

    private int IndexOf(string name)
    {
        var index = _columns.FindIndex(c => c.Name == name);
        if (index < 0)
        {
            throw new KeyNotFoundException($"The table has no column named \"{name}\"; its columns are: {string.Join(", ", _columns.Select(c => $"\"{c.Name}\""))}.");
        }

        return index;
    }

    private static ImageView Numbers(Column c, string operation)
    {
        if (c.Type.IsString)
        {
            throw new ArgumentException($"Column \"{c.Name}\" holds text; {operation} of its strings takes string values.", nameof(operation));
        }

        return c.Values ?? throw new ArgumentException($"The table has no rows, so column \"{c.Name}\" has no values; add rows first.", nameof(operation));
    }

    private static List<string> Strings(Column c, string operation) =>
        c.Text ?? throw new ArgumentException($"Column \"{c.Name}\" holds {c.Type} numbers, not text; {operation} it with numbers.", nameof(operation));

    private static void CheckValueType<T>(Column c)
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>() || Unsafe.SizeOf<T>() != c.Type.ByteCount || !Matches<T>(c.Type))
        {
            throw new ArgumentException($"Column \"{c.Name}\" holds {c.Type}; read and write it as that type, not {typeof(T).Name}.", nameof(T));
        }
    }

    private static bool Matches<T>(DataType type) => type.PrimitiveType switch
    {
        PrimitiveTypeId.FLOATING_POINT => typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half),
        PrimitiveTypeId.SIGNED_INTEGER => typeof(T) == typeof(sbyte) || typeof(T) == typeof(short) || typeof(T) == typeof(int) || typeof(T) == typeof(long),
        _ => typeof(T) == typeof(byte) || typeof(T) == typeof(ushort) || typeof(T) == typeof(uint) || typeof(T) == typeof(ulong),
    };

    private void CheckRows(long offset, long count)
    {
        if (offset < 0 || count < 0 || offset > _rows - count)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Rows {offset} to {offset + count - 1} are not in the table; it has {_rows} row(s), numbered from 0.");
        }
    }

    /// <summary>The region of rows offset..offset+count of a numeric column, null when empty; checks the buffer's length.</summary>
    private RegionXu64? Rows(Column c, long offset, long count, int bufferBytes, string paramName)
    {
        CheckRows(offset, count);
        if (c.Type.IsString)
        {
            throw new ArgumentException($"Column \"{c.Name}\" holds text; read and write its strings with string spans.", paramName);
        }

        if (bufferBytes != count * c.Type.ByteCount)
        {
            throw new ArgumentException($"The buffer has {bufferBytes} bytes; {count} {c.Type} value(s) are {count * c.Type.ByteCount}.", paramName);
        }

        return count == 0 ? null : new RegionXu64(new VectorXu64((ulong)offset), new VectorXu64((ulong)count));
    }

    /// <summary>Inserts (or removes) <paramref name="count"/> rows at <paramref name="offset"/> in every column.</summary>
    private void Resize(long offset, long count, bool insert)
    {
        if (count == 0)
        {
            return;
        }

        var rows = insert ? _rows + count : _rows - count;
        // New memory for every numeric column first, so that a failure (out of memory) changes nothing.
        var replaced = new ImageView?[_columns.Count];
        try
        {
            for (var i = 0; i < _columns.Count; i++)
            {
                var c = _columns[i];
                if (c.Type.IsString || rows == 0)
                {
                    continue;
                }

                var values = NewNumbers(c.Type, c.Interpretation, rows);
                replaced[i] = values;
                if (c.Values is { } old)
                {
                    // Rows before the change stay where they are; rows after it move by count.
                    var tail = _rows - offset - (insert ? 0 : count);
                    CopyRows(old, 0, values, 0, offset);
                    CopyRows(old, offset + (insert ? 0 : count), values, offset + (insert ? count : 0), tail);
                }
            }
        }
        catch
        {
            foreach (var v in replaced)
            {
                v?.Dispose();
            }

            throw;
        }

        for (var i = 0; i < _columns.Count; i++)
        {
            var c = _columns[i];
            if (c.Text is { } text)
            {
                if (insert)
                {
                    text.InsertRange((int)offset, Enumerable.Repeat(string.Empty, (int)count));
                }
                else
                {
                    text.RemoveRange((int)offset, (int)count);
                }

                continue;
            }

            c.Values?.Dispose();
            c.Values = replaced[i];
        }

        _rows = rows;
    }

    private static void CopyRows(ImageView from, long fromRow, ImageView to, long toRow, long count)
    {
        if (count <= 0)
        {
            return;
        }

        using var source = ImageViewFactory.ExtractRegion(from, new RegionXu64(new VectorXu64((ulong)fromRow), new VectorXu64((ulong)count)));
        using var destination = ImageViewFactory.ExtractRegion(to, new RegionXu64(new VectorXu64((ulong)toRow), new VectorXu64((ulong)count)));
        ImageViewFactory.Copy(source, destination);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
