using System.Numerics.Tensors;
using IOLink;
using IOLink.Tensors;

// A 2x3 tensor imported as an IMAGE: 3 columns, 2 rows, same memory.
var tensor = Tensor.Create(new ushort[] { 0, 1, 2, 10, 11, 12 }, [2, 3]);
using var image = TensorInterop.FromTensor(tensor, ImageTypeId.IMAGE);
Console.WriteLine(image.Shape);                   // VectorXu64(3, 2)
Console.WriteLine(image.GetValue<ushort>(2, 0));  // 2, tensor element [0, 2]
image.SetValue<ushort>(500, 1, 1);
Console.WriteLine(tensor[1, 1]);                  // 500: the tensor changed

// A VOLUME exported as a tensor span over the view's memory.
using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16,
    new ImageProperties(ImageTypeId.VOLUME));
TensorSpan<ushort> span = TensorInterop.ToTensorSpan<ushort>(volume);
Console.WriteLine(string.Join(", ", span.Lengths.ToArray()));  // 6, 4, 12: span[z, y, x] is volume element (x, y, z)
span[5, 3, 11] = 42;
Console.WriteLine(volume.GetValue<ushort>(11, 3, 5));          // 42
