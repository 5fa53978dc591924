using IOLink;
using IOLink.Python;
using Python.Runtime;

PythonRuntime.EnsureInitialized();                 // once per process; finds a python3 with NumPy
using var view = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
view.SetValue<ushort>(7, 11, 3, 5);
using (Py.GIL())
{
    using PyObject array = NumpyInterop.ToNumpyArray(view);        // the view's memory, in NumPy order
    Console.WriteLine(array.GetAttr("shape"));                     // (6, 4, 12)
    Console.WriteLine(array[new PyTuple([new PyInt(5), new PyInt(3), new PyInt(11)])]);  // 7

    // The Python half of IOLink comes with the package: Python code in this process can use the same views.
    using var iolink = Py.Import("iolink");
    Console.WriteLine(iolink.GetAttr("VectorXu64").Invoke(new PyInt(2), new PyInt(3)));  // VectorXu64(2, 3)
}
