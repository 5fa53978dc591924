import numpy as np
import pandas as pd

from iolink import DataFrameViewFactory, DataTypeId

# A label table: one row per object, columns of one type each, with units.
table = DataFrameViewFactory.allocate([("label", DataTypeId.INT32), ("volume", DataTypeId.DOUBLE, "mm^3"),
                                       ("name", str), ("touches_border", bool)], rows=3)
table.write("label", 0, [1, 2, 3])
table.column_to_numpy("volume")[:] = [0.5, 12.25, 3.0]    # NumPy writes into the table's memory
table.set_at("name", 1, "nucleus")
print(table.shape(), table.column_unit("volume"), table.at("volume", 1))  # VectorXu64(4, 3) mm^3 12.25

# pandas: numeric columns shared both ways, text copied.
frame = table.to_pandas()
frame["volume"].to_numpy()[2] = 99.0
print(table.at("volume", 2), frame["name"].tolist())                       # 99.0 ['', 'nucleus', '']
back = DataFrameViewFactory.from_pandas(pd.DataFrame({"area": np.array([1.5, 2.5])}))
print(back.column_data_type("area"), back.read("area"))                    # DOUBLE [1.5 2.5]
