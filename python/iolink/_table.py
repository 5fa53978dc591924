"""Tables stored by column (DataFrameView), with NumPy columns over the same memory and pandas round trips."""

from ._collections import _Owner
from ._dotnet import System, net, netpy, translate
from ._model import ImageView
from ._types import DataType, DataTypeId, ImageCapability, ImageInterpretation, VectorXu64, _data_type

__all__ = ["DataFrameView", "DataFrameViewFactory"]


def _column_type(data_type, what):
    """(a .NET DataType, its interpretation) for a DataTypeId, DataType, bool (a bool column) or str (text)."""
    if data_type is bool:
        return net.DataType.FromId(net.DataTypeId.UINT8), net.ImageInterpretation.BINARY
    if data_type is str:
        return net.DataType.FromId(net.DataTypeId.UTF8_STRING), net.ImageInterpretation.UNKNOWN
    try:
        return _data_type(data_type), net.ImageInterpretation.UNKNOWN
    except TypeError:
        raise TypeError("%s must be a DataTypeId (INT32, DOUBLE, UTF8_STRING...), bool or str, not %r" % (what, data_type)) from None


_KINDS = {1: "u", 2: "i", 3: "f"}      # PrimitiveTypeId -> NumPy kind


def _numpy_dtype(net_type):
    import numpy
    return numpy.dtype("%s%d" % (_KINDS[int(net_type.PrimitiveType)], int(net_type.ByteCount)))


def _type_of_dtype(dtype):
    """The column type for a NumPy dtype of numbers or bools: (DataTypeId or bool)."""
    if dtype.kind == "b":
        return bool
    names = {"u": "UINT", "i": "INT"}
    if dtype.kind == "f":
        name = {2: None, 4: "FLOAT", 8: "DOUBLE"}.get(dtype.itemsize)
    else:
        name = "%s%d" % (names[dtype.kind], dtype.itemsize * 8)
    if name is None or not hasattr(DataTypeId, name):
        raise TypeError("NumPy type %s has no IOLink column type" % dtype)
    return DataTypeId[name]


class DataFrameView(_Owner):
    """
    A table stored by column: each column has a name, a data type (numbers, bool or text), a unit. shape() is
    (columns, rows). Numeric columns are NumPy arrays over the table's memory (column_to_numpy); to_pandas() and
    DataFrameViewFactory.from_pandas() convert whole tables (numeric columns shared, text copied). Columns are named
    by index or by name. Adding or removing rows gives the columns new memory: arrays taken before keep the old.

        table = DataFrameViewFactory.allocate([("label", DataTypeId.INT32), ("volume", DataTypeId.DOUBLE, "mm^3")], rows=3)
        table.column_to_numpy("volume")[:] = [1.5, 2.0, 0.5]
    """

    __slots__ = ()

    def __init__(self, net_frame):
        if not isinstance(net_frame, net.DataFrameView):
            raise TypeError("DataFrameView wraps an IOLink.DataFrameView; make one with DataFrameViewFactory")
        super().__init__(net_frame)

    def _column(self, column):
        if isinstance(column, str):
            return int(self._net.ColumnIndex(column))
        if isinstance(column, bool) or not isinstance(column, int):
            raise TypeError("a column is named by its index (int) or its name (str), not %s" % type(column).__name__)
        if column < 0:
            column += int(self._net.ColumnCount)
        return column

    def capabilities(self):
        """READ | WRITE | RESHAPE (NONE once disposed)."""
        if self._n is None:
            return ImageCapability(0)
        return ImageCapability(int(self._n.Capabilities))

    @translate
    def shape(self):
        """(columns, rows), as VectorXu64."""
        s = self._net.Shape
        return VectorXu64(int(s[0]), int(s[1]))

    def __len__(self):
        """The number of rows, as len() of a pandas.DataFrame."""
        return int(self.shape()[1])

    @translate
    def column_name(self, column):
        return str(self._net.ColumnName(self._column(column)))

    @translate
    def column_index(self, name):
        """The index of the column named name (KeyError listing the names otherwise)."""
        if not isinstance(name, str):
            raise TypeError("name must be a str, not %s" % type(name).__name__)
        return int(self._net.ColumnIndex(name))

    @translate
    def column_names(self):
        """Every column's name, in order."""
        return [str(self._net.ColumnName(i)) for i in range(int(self._net.ColumnCount))]

    @translate
    def column_data_type(self, column):
        """The column's DataType (UTF8_STRING for text; UINT8 for bool, with column_interpretation BINARY)."""
        return DataType(self._net.ColumnDataType(self._column(column)))

    @translate
    def column_interpretation(self, column):
        """BINARY for a bool column, UNKNOWN otherwise."""
        return ImageInterpretation(int(self._net.ColumnInterpretation(self._column(column))))

    @translate
    def column_unit(self, column):
        return str(self._net.ColumnUnit(self._column(column)))

    @translate
    def set_column_unit(self, column, unit):
        if not isinstance(unit, str):
            raise TypeError("unit must be a str, not %s" % type(unit).__name__)
        self._net.SetColumnUnit(self._column(column), unit)

    def _is_text(self, index):
        return bool(self._net.ColumnDataType(index).IsString)

    @translate
    def column_to_numpy(self, column):
        """
        A numeric or bool column as a 1-D NumPy array over the table's memory (writes through either side are seen by
        the other; bool columns as numpy.bool_). It keeps the memory alive; rows added or removed later are not in it.
        ValueError for a text column (read() copies its strings).
        """
        import numpy
        from ._numpy import NumpyInterop
        index = self._column(column)
        rows = int(self._net.RowCount)
        boolean = int(self._net.ColumnInterpretation(index)) == int(ImageInterpretation.BINARY)
        if rows == 0 and not self._is_text(index):
            return numpy.empty(0, numpy.bool_ if boolean else _numpy_dtype(self._net.ColumnDataType(index)))
        view = ImageView(self._net.ColumnView(index))
        try:
            array = NumpyInterop.to_numpy_array(view)
        finally:
            view.dispose()
        return array.view(numpy.bool_) if boolean else array

    @translate
    def read(self, column, offset=0, count=None):
        """count values of the column from row offset (all after it when None): a new NumPy array, or a list of str for text."""
        index = self._column(column)
        rows = int(self._net.RowCount)
        count = rows - offset if count is None else count
        if self._is_text(index):
            return [str(s) for s in netpy.PythonTables.ReadStrings(self._net, index, offset, count)]
        if offset < 0 or count < 0 or offset + count > rows:
            raise ValueError("rows %d to %d are not in the table; it has %d row(s)" % (offset, offset + count - 1, rows))
        return self.column_to_numpy(index)[offset:offset + count].copy()

    @translate
    def write(self, column, offset, values):
        """Writes values (numbers, a NumPy array; str for a text column) into the column from row offset."""
        index = self._column(column)
        if self._is_text(index):
            if isinstance(values, str) or not all(isinstance(v, str) for v in values):
                raise TypeError("a text column takes a list of str")
            netpy.PythonTables.WriteStrings(self._net, index, offset, System.Array[System.String](list(values)))
            return
        target = self.column_to_numpy(index)
        import numpy
        values = numpy.asarray(values)
        rows = len(target)
        if values.ndim != 1 or offset < 0 or offset + len(values) > rows:
            raise ValueError("%d value(s) from row %d do not fit the table's %d row(s); pass a 1-D sequence" % (values.size, offset, rows))
        target[offset:offset + len(values)] = values

    @translate
    def at(self, column, row):
        """The value at row of column (a name or an index): a Python number, bool or str."""
        index = self._column(column)
        if isinstance(row, bool) or not isinstance(row, int):
            raise TypeError("row must be an int, not %s" % type(row).__name__)
        if self._is_text(index):
            return str(self._net.At[System.String](index, row))
        if not 0 <= row < int(self._net.RowCount):
            raise IndexError("row %d is not in the table; it has %d row(s)" % (row, int(self._net.RowCount)))
        return self.column_to_numpy(index)[row].item()

    @translate
    def set_at(self, column, row, value):
        """Sets the value at row of column (a name or an index)."""
        index = self._column(column)
        if isinstance(row, bool) or not isinstance(row, int):
            raise TypeError("row must be an int, not %s" % type(row).__name__)
        if self._is_text(index):
            if not isinstance(value, str):
                raise TypeError("a text column takes str values, not %s" % type(value).__name__)
            self._net.SetAt[System.String](index, row, value)
            return
        if not 0 <= row < int(self._net.RowCount):
            raise IndexError("row %d is not in the table; it has %d row(s)" % (row, int(self._net.RowCount)))
        self.column_to_numpy(index)[row] = value

    @translate
    def add_column(self, name, data_type, unit=""):
        """Adds a column at the end: data_type a DataTypeId (scalar), bool or str; its values 0, False or ""."""
        if not isinstance(name, str) or not isinstance(unit, str):
            raise TypeError("name and unit must be str")
        net_type, interpretation = _column_type(data_type, "data_type")
        self._net.AddColumn(name, net_type, unit, interpretation)

    @translate
    def add_rows(self, offset, count):
        """Inserts count rows of 0 (or "") before row offset (len(table) appends)."""
        self._net.AddRows(System.Int64(offset), System.Int64(count))

    @translate
    def remove_column(self, column):
        self._net.RemoveColumn(self._column(column))

    @translate
    def remove_rows(self, offset, count):
        self._net.RemoveRows(System.Int64(offset), System.Int64(count))

    def to_pandas(self):
        """
        A pandas.DataFrame of the table: numeric and bool columns are NumPy arrays over the table's memory (no copy;
        a write through either is seen by the other), text columns are copied into object columns. Units are kept in
        the frame's attrs["units"].
        """
        import pandas
        names = self.column_names()
        columns = {}
        for i, name in enumerate(names):
            columns[name] = self.read(i) if self._is_text(i) else self.column_to_numpy(i)
        frame = pandas.DataFrame(columns, copy=False)
        frame.attrs["units"] = {name: self.column_unit(i) for i, name in enumerate(names) if self.column_unit(i)}
        return frame

    def __repr__(self):
        if self._n is None:
            return "DataFrameView(disposed)"
        return str(self._n.ToString())


class DataFrameViewFactory:
    """Makes tables."""

    @staticmethod
    @translate
    def allocate(columns, rows=0):
        """
        A table in memory of rows rows of 0 (False, ""): columns is a list of (name, type) or (name, type, unit), type
        a scalar DataTypeId, bool or str (text).
        """
        items = System.Collections.Generic.List[net.DataFrameColumn]()
        for column in columns:
            if not isinstance(column, tuple) or len(column) not in (2, 3) or not isinstance(column[0], str):
                raise TypeError("each column is a (name, type) or (name, type, unit) tuple, not %r" % (column,))
            unit = column[2] if len(column) == 3 else ""
            if not isinstance(unit, str):
                raise TypeError("a column's unit must be a str, not %s" % type(unit).__name__)
            net_type, interpretation = _column_type(column[1], "the type of column %r" % column[0])
            items.Add(net.DataFrameColumn(column[0], net_type, unit, interpretation))
        if isinstance(rows, bool) or not isinstance(rows, int):
            raise TypeError("rows must be an int, not %s" % type(rows).__name__)
        return DataFrameView(net.DataFrameViewFactory.Allocate(items, System.Int64(rows)))

    @staticmethod
    def from_pandas(frame):
        """
        A table of a pandas.DataFrame's columns: numeric and bool columns share their NumPy memory when pandas gives it
        (one contiguous or strided array per column; writes through the table reach the frame), str columns are
        copied. Column names must be str; other column types (dates, categories, nullable integers, mixed objects)
        are refused with the column's name.
        """
        import numpy
        from ._numpy import NumpyInterop
        if not hasattr(frame, "columns") or not hasattr(frame, "to_numpy"):
            raise TypeError("frame must be a pandas.DataFrame, not %s" % type(frame).__name__)
        table = DataFrameViewFactory.allocate([], len(frame))
        try:
            units = frame.attrs.get("units", {}) if hasattr(frame, "attrs") else {}
            for name in frame.columns:
                if not isinstance(name, str):
                    raise TypeError("column names must be str; column %r is a %s" % (name, type(name).__name__))
                series = frame[name]
                unit = units.get(name, "")
                kind = series.dtype.kind if isinstance(series.dtype, numpy.dtype) else None
                if kind in ("i", "u", "f", "b") and len(series) == 0:
                    table.add_column(name, _type_of_dtype(series.dtype), unit)
                elif kind in ("i", "u", "f", "b"):
                    values = series.to_numpy(copy=False)
                    if not values.flags.writeable:
                        values = values.copy()      # pandas lends it read-only (copy-on-write): the table gets its own
                    view = NumpyInterop.from_numpy_array(values)
                    try:
                        translate(table._net.AddColumn)(name, view._net, unit)
                    finally:
                        view.dispose()
                elif kind == "O" and all(isinstance(v, str) for v in series):
                    table.add_column(name, str, unit)
                    if len(series):
                        table.write(name, 0, list(series))
                else:
                    raise TypeError("column %r is %s; a table holds numbers, bools and str (convert it first, "
                                    "for example with astype)" % (name, series.dtype))
            return table
        except BaseException:
            table.dispose()
            raise
