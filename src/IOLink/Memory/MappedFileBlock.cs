using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace IOLink.Memory;

/// <summary>A memory-mapped file: the mapping is undone and the file closed with the last reference.</summary>
internal sealed unsafe class MappedFileBlock : MemoryBlock
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;

    private MappedFileBlock(MemoryMappedFile file, MemoryMappedViewAccessor view, SafeFileHandle handle, nint address, long length)
        : base(address, length)
    {
        _file = file;
        _view = view;
        FileHandle = handle;
    }

    /// <summary>The mapped file, open for as long as the block holds a reference; the mapping starts at its offset 0.</summary>
    public SafeFileHandle FileHandle { get; }

    /// <summary>Maps all of <paramref name="file"/> (which the block then owns).</summary>
    public static MappedFileBlock Map(FileStream file, bool writable)
    {
        var length = file.Length;
        var access = writable ? MemoryMappedFileAccess.ReadWrite : MemoryMappedFileAccess.Read;
        MemoryMappedFile? mapping = null;
        MemoryMappedViewAccessor? view = null;
        try
        {
            mapping = MemoryMappedFile.CreateFromFile(file, mapName: null, capacity: 0, access, HandleInheritability.None, leaveOpen: false);
            view = mapping.CreateViewAccessor(0, length, access);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            return new MappedFileBlock(mapping, view, file.SafeFileHandle, (nint)(p + view.PointerOffset), length);
        }
        catch
        {
            view?.Dispose();
            if (mapping is not null)
            {
                mapping.Dispose();
            }
            else
            {
                file.Dispose();
            }

            throw;
        }
    }

    public void Flush() => _view.Flush();

    // The safety net when views were never disposed: the acquired pointer keeps the view handle from releasing itself.
    ~MappedFileBlock() => FreeOnce();

    protected override void Free()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
