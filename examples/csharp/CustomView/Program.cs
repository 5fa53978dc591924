using CustomView;
using IOLink;

// A view implemented outside IOLink (Checkerboard.cs): 640 x 480 pixels in squares of 32, computed on each read.
using var board = new Checkerboard(640, 480, 32);
Console.WriteLine($"{board.Shape} {board.DataType} {board.Capabilities}");   // VectorXu64(640, 480) UINT8 READ
Console.WriteLine($"{board.GetValue<byte>(0, 0)} {board.GetValue<byte>(32, 0)}");   // 255 0

// Used as IOLink's own views are: a region view, a copy in memory, a .npy file.
using var corner = ImageViewFactory.ExtractRegion(board, new RegionXu64(new VectorXu64(24, 24), new VectorXu64(16, 16)));
using var copy = ImageViewFactory.CopyInMemory(corner);
Console.WriteLine($"{copy.GetValue<byte>(0, 0)} {copy.GetValue<byte>(8, 0)} {copy.GetValue<byte>(8, 8)}");   // 255 0 255
var path = Path.Combine(Path.GetTempPath(), "checkerboard.npy");
NpyFile.Write(board, path);
using (var file = NpyFile.Read(path, ImageTypeId.IMAGE))
{
    Console.WriteLine($"{file.Shape} {file.GetValue<byte>(63, 63)}");   // VectorXu64(640, 480) 255
}

File.Delete(path);
