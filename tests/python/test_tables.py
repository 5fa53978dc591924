"""DataFrameView from Python: columns by name and index, NumPy columns over the table's memory, pandas round trips."""

import numpy as np
import pandas as pd
import pytest

from iolink import DataFrameView, DataFrameViewFactory, DataTypeId, ImageCapability, ImageInterpretation


def labels():
    return DataFrameViewFactory.allocate(
        [("label", DataTypeId.INT32), ("volume", DataTypeId.DOUBLE, "mm^3"), ("name", str), ("border", bool)], rows=3)


def test_a_table_reads_and_writes_by_column_and_cell():
    table = labels()
    assert tuple(table.shape()) == (4, 3) and len(table) == 3
    assert table.capabilities() == ImageCapability.READ | ImageCapability.WRITE | ImageCapability.RESHAPE
    assert table.column_names() == ["label", "volume", "name", "border"]
    assert table.column_index("name") == 2 and table.column_name(-1) == "border"
    assert str(table.column_data_type("name")) == "UTF8_STRING" and table.column_unit(1) == "mm^3"
    assert table.column_interpretation("border") == ImageInterpretation.BINARY

    table.write("label", 0, [7, 8, 9])
    table.set_at("volume", 2, 12.5)
    table.set_at("name", 1, "nucleus")
    table.set_at("border", 0, True)
    assert table.at("label", 1) == 8 and table.at(1, 2) == 12.5
    assert table.at("name", 1) == "nucleus" and table.at("name", 0) == ""
    assert table.at("border", 0) is True and table.at("border", 1) is False
    assert table.read("label", 1).tolist() == [8, 9]
    assert table.read("name") == ["", "nucleus", ""]
    table.write("name", 0, ["a", "b"])
    assert table.read("name", 0, 2) == ["a", "b"]
    table.set_column_unit("label", "id")
    assert table.column_unit(0) == "id"
    assert "volume: DOUBLE [mm^3]" in repr(table)


def test_bad_columns_rows_and_values_are_clear_errors():
    table = labels()
    with pytest.raises(KeyError, match='"label"'):
        table.column_index("area")
    with pytest.raises(ValueError, match="4 column"):
        table.column_name(7)
    with pytest.raises(IndexError):
        table.at("label", 3)
    with pytest.raises(TypeError):
        table.set_at("name", 0, 5)
    with pytest.raises(ValueError, match="holds text"):
        table.column_to_numpy("name")
    with pytest.raises(ValueError, match="already"):
        table.add_column("label", DataTypeId.INT8)
    with pytest.raises(ValueError, match="scalar"):
        table.add_column("rgb", DataTypeId.VEC3_UINT8)
    with pytest.raises(TypeError):
        table.add_column("when", object)
    with pytest.raises(TypeError):
        DataFrameViewFactory.allocate([("a",)])
    with pytest.raises(ValueError, match="table column"):
        from iolink import ImageViewFactory
        ImageViewFactory.allocate((3,), DataTypeId.UTF8_STRING)
    table.dispose()
    with pytest.raises(ValueError, match="disposed"):
        table.shape()
    assert table.capabilities() == ImageCapability(0)
    with pytest.raises(TypeError):
        DataFrameView(object())


def test_numeric_columns_are_numpy_arrays_over_the_tables_memory():
    table = labels()
    volume = table.column_to_numpy("volume")
    volume[:] = [1.5, 2.5, 3.5]
    assert table.at("volume", 1) == 2.5
    table.set_at("volume", 0, 9.0)
    assert volume[0] == 9.0
    border = table.column_to_numpy("border")
    assert border.dtype == np.bool_
    border[2] = True
    assert table.at("border", 2) is True

    # Rows change: the table's columns get new memory, the old array keeps the old values.
    table.add_rows(1, 2)
    assert len(table) == 5 and table.read("volume").tolist() == [9.0, 0.0, 0.0, 2.5, 3.5]
    volume[0] = -1.0
    assert table.at("volume", 0) == 9.0
    table.remove_rows(0, 3)
    table.remove_column("label")
    assert table.column_names() == ["volume", "name", "border"] and table.read("volume").tolist() == [2.5, 3.5]
    table.remove_rows(0, 2)
    assert table.column_to_numpy("volume").shape == (0,) and table.column_to_numpy("border").dtype == np.bool_
    del table
    assert volume.tolist() == [-1.0, 2.5, 3.5]        # the array outlives the table


def test_pandas_round_trips_share_numeric_columns_and_copy_text():
    frame = pd.DataFrame({"label": np.arange(4, dtype=np.int32), "area": np.linspace(0, 1, 4),
                          "name": ["a", "b", "c", "d"], "inside": [True, False, True, True]})
    frame.attrs["units"] = {"area": "um^2"}
    table = DataFrameViewFactory.from_pandas(frame)
    assert tuple(table.shape()) == (4, 4) and table.column_unit("area") == "um^2"
    assert str(table.column_data_type("label")) == "INT32" and table.column_interpretation("inside") == ImageInterpretation.BINARY
    table.set_at("label", 2, 77)
    assert frame["label"][2] == 77                       # shared with the frame's memory
    assert table.read("name") == ["a", "b", "c", "d"]

    back = table.to_pandas()
    assert list(back.columns) == ["label", "area", "name", "inside"]
    assert back["inside"].dtype == np.bool_ and back["name"].tolist() == ["a", "b", "c", "d"]
    assert back.attrs["units"] == {"area": "um^2"}
    back["area"].to_numpy()[0] = 42.0                    # numeric columns of the frame are the table's memory
    assert table.at("area", 0) == 42.0
    pd.testing.assert_frame_equal(back, frame, check_like=False)

    empty = DataFrameViewFactory.from_pandas(frame.iloc[0:0])
    assert tuple(empty.shape()) == (4, 0) and len(empty.to_pandas()) == 0
    with pytest.raises(TypeError, match="'when'"):
        DataFrameViewFactory.from_pandas(pd.DataFrame({"when": pd.to_datetime(["2024-01-01"])}))
    with pytest.raises(TypeError, match="str"):
        DataFrameViewFactory.from_pandas(pd.DataFrame({0: [1, 2]}))
    with pytest.raises(TypeError):
        DataFrameViewFactory.from_pandas([1, 2])
