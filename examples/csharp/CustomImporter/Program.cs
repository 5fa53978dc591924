using System.Runtime.InteropServices;
using IOLink;
using IOLink.Interop;

// A C-order (rows, columns, 3) uint8 buffer, as another library hands it over, and what frees it.
var pixels = new byte[480 * 640 * 3];
pixels[(2 * 640 + 5) * 3 + 1] = 200;                      // row 2, column 5, green
var pin = GCHandle.Alloc(pixels, GCHandleType.Pinned);

// Read as an RGB IMAGE: rule 2 for the axes, rule 4 for the trailing axis of 3 components.
var layout = ArrayAxes.Import([480, 640, 3], [640 * 3, 3, 1], DataTypeId.UINT8, ImageTypeId.IMAGE);
using var view = ImageViewFactory.FromBuffer(pin.AddrOfPinnedObject(), layout.ByteExtent, layout, new Unpin(pin));
Console.WriteLine($"{view.Shape} {view.DataType} {view.AxesInterpretation}");   // VectorXu64(640, 480) VEC3_UINT8 IMAGE
using var green = ImageViewFactory.ExtractChannel(view, 1);
Console.WriteLine(green.GetValue<byte>(5, 2));                                   // 200, the array's [2, 5, 1]

// And back: which array a view is (rules 6-8), for an exporter.
var array = ArrayAxes.Export(view);
Console.WriteLine(string.Join(", ", array.Lengths.ToArray()));   // 480, 640, 3

sealed class Unpin(GCHandle handle) : IDisposable
{
    public void Dispose() => handle.Free();               // runs once, with the last view over the memory
}
