using System.Text;
using IOLink.Files;
using IOLink.Storage;

namespace IOLink.PublicApi.Tests;

/// <summary>What every key-value store does, run against the directory store and the memory store alike.</summary>
public abstract class StoreContract : IDisposable
{
    protected abstract KeyValueStore Store { get; }

    public virtual void Dispose() => Store.Dispose();

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    [Fact]
    public void Set_then_Get_gives_the_value_whole_and_by_every_kind_of_range()
    {
        Store.Set("a/b/c", Bytes("0123456789"));
        using (var all = Store.Get("a/b/c")!)
        {
            Assert.Equal("0123456789", Encoding.ASCII.GetString(all.Span));
            Assert.Equal(10, all.ValueLength);
            Assert.Equal(0, all.Offset);
        }

        using (var run = Store.Get("a/b/c", ByteRange.Of(2, 3))!)
        {
            Assert.Equal("234", Encoding.ASCII.GetString(run.Span));
            Assert.Equal(2, run.Offset);
        }

        using (var rest = Store.Get("a/b/c", ByteRange.From(7))!)
        {
            Assert.Equal("789", Encoding.ASCII.GetString(rest.Span));
        }

        using (var last = Store.Get("a/b/c", ByteRange.Last(4))!)
        {
            Assert.Equal("6789", Encoding.ASCII.GetString(last.Span));
            Assert.Equal(6, last.Offset);
        }

        // Past the end: cut at the end, as an HTTP server answers.
        using (var cut = Store.Get("a/b/c", ByteRange.Of(8, 100))!)
        {
            Assert.Equal("89", Encoding.ASCII.GetString(cut.Span));
        }

        using (var beyond = Store.Get("a/b/c", ByteRange.From(50))!)
        {
            Assert.Equal(0, beyond.Length);
        }
    }

    [Fact]
    public void A_missing_key_is_null_and_has_no_version()
    {
        Assert.Null(Store.Get("nothing"));
        Assert.Null(Store.Version("nothing"));
        Assert.False(Store.Contains("nothing"));
        Assert.False(Store.Delete("nothing"));
        Assert.Null(Store.OpenRandomAccess("nothing"));
    }

    [Fact]
    public void A_version_changes_when_the_value_is_replaced_and_only_then()
    {
        var first = Store.Set("k", Bytes("one"));
        Assert.Equal(first, Store.Version("k"));
        Assert.Equal(first, Store.Version("k"));
        using (var value = Store.Get("k")!)
        {
            Assert.Equal(first, value.Version);
        }

        Thread.Sleep(5);
        var second = Store.Set("k", Bytes("two!"));
        Assert.NotEqual(first, second);
        Assert.Equal(second, Store.Version("k"));
    }

    [Fact]
    public void Delete_removes_the_value()
    {
        Store.Set("x/y", Bytes("v"));
        Assert.True(Store.Delete("x/y"));
        Assert.Null(Store.Get("x/y"));
        Assert.False(Store.Delete("x/y"));
    }

    [Fact]
    public void List_gives_the_keys_below_a_prefix_in_ordinal_order()
    {
        foreach (var key in new[] { "b", "a/2", "a/10", "a/1/x", "ab", ".zarray" })
        {
            Store.Set(key, Bytes(key));
        }

        Assert.Equal([".zarray", "a/1/x", "a/10", "a/2", "ab", "b"], Store.List());
        Assert.Equal(["a/1/x", "a/10", "a/2"], Store.List("a"));
        Assert.Equal(["a/1/x", "a/10", "a/2"], Store.List("a/"));
        Assert.Equal(["a/1/x"], Store.List("a/1"));
        Assert.Empty(Store.List("zz"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("a/../b")]
    [InlineData("..")]
    [InlineData("./a")]
    [InlineData("a/")]
    [InlineData("a\\b")]
    [InlineData("a\0b")]
    [InlineData("a\nb")]
    public void Keys_that_could_leave_the_store_or_mean_two_things_are_refused(string key)
    {
        var ex = Assert.Throws<ArgumentException>(() => Store.Get(key));
        Assert.Contains("key", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Store.Set(key, Bytes("x")));
        Assert.Throws<ArgumentException>(() => Store.Delete(key));
    }

    [Fact]
    public void A_read_larger_than_the_caller_takes_is_refused_before_it_is_read()
    {
        Store.Set("big", new byte[1000]);
        var ex = Assert.Throws<InvalidFileFormatException>(() => Store.Get("big", ByteRange.All, maxLength: 999));
        Assert.Contains("1000 bytes", ex.Message, StringComparison.Ordinal);
        using var part = Store.Get("big", ByteRange.Of(0, 999), maxLength: 999)!;
        Assert.Equal(999, part.Length);
    }

    [Fact]
    public void A_disposed_value_does_not_show_its_lent_buffer()
    {
        Store.Set("k", Bytes("abc"));
        var value = Store.Get("k")!;
        Assert.Equal("abc", Encoding.ASCII.GetString(value.ToArray()));
        value.Dispose();
        value.Dispose();
        Assert.Throws<ObjectDisposedException>(() => value.Span.Length);
    }

    [Fact]
    public void A_random_access_reads_the_value_by_ranges()
    {
        var data = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        Store.Set("blob", data);
        using var access = Store.OpenRandomAccess("blob")!;
        Assert.Equal(300, access.Size);
        Assert.True(access.Support(RandomAccessCapability.READ));
        Assert.False(access.Support(RandomAccessCapability.WRITE));
        var part = new byte[50];
        access.Read(200, part);
        Assert.Equal(data.AsSpan(200, 50).ToArray(), part);
        Assert.Throws<NotSupportedException>(() => access.Write(0, new byte[1]));
    }

    [Fact]
    public void A_disposed_store_refuses_every_call()
    {
        Store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Store.Get("k"));
        Assert.Throws<ObjectDisposedException>(() => Store.Set("k", Bytes("x")));
        Assert.Throws<ObjectDisposedException>(() => Store.List());
        Assert.Throws<ObjectDisposedException>(() => Store.Version("k"));
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_never_see_a_torn_value()
    {
        var a = Enumerable.Repeat((byte)'a', 4096).ToArray();
        var b = Enumerable.Repeat((byte)'b', 4096).ToArray();
        Store.Set("v", a);
        var stop = DateTime.UtcNow.AddMilliseconds(300);
        var writer = Task.Run(() =>
        {
            for (var i = 0; DateTime.UtcNow < stop; i++)
            {
                Store.Set("v", i % 2 == 0 ? b : a);
            }
        });
        while (DateTime.UtcNow < stop)
        {
            using var value = Store.Get("v")!;
            Assert.Equal(4096, value.Length);
            Assert.True(value.Span.IndexOfAnyExcept(value.Span[0]) < 0, "a value mixed two writes");
        }

        await writer;
    }
}

public sealed class MemoryStoreTests : StoreContract
{
    private readonly MemoryStore _store = new("test store");

    protected override KeyValueStore Store => _store;

    [Fact]
    public void A_value_is_copied_in_so_the_caller_may_reuse_its_buffer()
    {
        var buffer = new byte[] { 1, 2, 3 };
        _store.Set("k", buffer);
        buffer[0] = 9;
        using var value = _store.Get("k")!;
        Assert.Equal(1, value.Span[0]);
        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public void A_random_access_over_a_value_replaced_since_it_opened_says_so()
    {
        _store.Set("k", new byte[10]);
        using var access = _store.OpenRandomAccess("k")!;
        _store.Set("k", new byte[10]);
        var ex = Assert.Throws<IOException>(() => access.Read(0, new byte[4]));
        Assert.Contains("changed while it was read", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class DirectoryStoreTests : StoreContract
{
    private readonly string _root = Directory.CreateTempSubdirectory("iolink-store-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("iolink-outside-").FullName;
    private readonly DirectoryStore _store;

    public DirectoryStoreTests() => _store = new DirectoryStore(_root, name: "my.store");

    protected override KeyValueStore Store => _store;

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    [Fact]
    public void A_key_is_a_file_below_the_folder_and_no_temporary_is_left()
    {
        _store.Set("0/3/1", [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(_root, "0", "3", "1")));
        Assert.Equal(FileKind.Regular, _store.KindOf("0/3/1"));
        Assert.Equal(FileKind.Directory, _store.KindOf("0/3"));
        Assert.Empty(Directory.EnumerateFiles(_root, ".iolink-*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_missing_folder_is_refused_when_the_store_is_made()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => new DirectoryStore(Path.Combine(_root, "none")));
        Assert.Contains("Name an existing folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_only_store_refuses_writes_and_deletions_and_leaves_the_files()
    {
        _store.Set("k", [7]);
        using var readOnly = new DirectoryStore(_root, readOnly: true);
        Assert.Throws<NotSupportedException>(() => readOnly.Set("k", [8]));
        Assert.Throws<NotSupportedException>(() => readOnly.Delete("k"));
        Assert.Equal([7], File.ReadAllBytes(Path.Combine(_root, "k")));
    }

    [Fact]
    public void A_link_inside_the_store_is_never_followed_on_reads()
    {
        File.WriteAllText(Path.Combine(_outside, "secret"), "outside data");
        Directory.CreateSymbolicLink(Path.Combine(_root, "0"), _outside);
        File.CreateSymbolicLink(Path.Combine(_root, "1"), Path.Combine(_outside, "secret"));

        var ex = Assert.Throws<InvalidFileFormatException>(() => _store.Get("0/secret"));
        Assert.Contains("'0' inside the store is a symbolic link", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<InvalidFileFormatException>(() => _store.Get("1"));
        Assert.Contains("'1' inside the store is a symbolic link", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidFileFormatException>(() => _store.OpenRandomAccess("1"));
        // Listing neither follows nor lists them.
        Assert.Empty(_store.List());
    }

    [Fact]
    public void A_write_through_a_linked_folder_is_refused_and_a_link_at_the_key_is_replaced_not_followed()
    {
        var secret = Path.Combine(_outside, "secret");
        File.WriteAllText(secret, "outside data");
        Directory.CreateSymbolicLink(Path.Combine(_root, "0"), _outside);
        Assert.Throws<InvalidFileFormatException>(() => _store.Set("0/secret", [1]));
        Assert.Equal("outside data", File.ReadAllText(secret));

        File.CreateSymbolicLink(Path.Combine(_root, "1"), secret);
        _store.Set("1", [1, 2]);
        Assert.Equal("outside data", File.ReadAllText(secret));
        Assert.Equal(FileKind.Regular, FileProbe.Kind(Path.Combine(_root, "1"), followLinks: false));
    }

    [Fact]
    public void A_fifo_or_folder_where_a_value_belongs_is_refused_without_blocking()
    {
        var fifo = Path.Combine(_root, "fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        var ex = Assert.Throws<InvalidFileFormatException>(() => _store.Get("fifo"));
        Assert.Contains("FIFO", ex.Message, StringComparison.OrdinalIgnoreCase);
        Directory.CreateDirectory(Path.Combine(_root, "dir"));
        ex = Assert.Throws<InvalidFileFormatException>(() => _store.Get("dir"));
        Assert.Contains("is a directory", ex.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => _store.Delete("dir"));
        Assert.True(Directory.Exists(Path.Combine(_root, "dir")));
    }

    [Fact]
    public void Temporaries_of_writes_in_progress_are_not_listed()
    {
        File.WriteAllBytes(Path.Combine(_root, ".iolink-0123456789abcdef.partial"), [1]);
        File.WriteAllBytes(Path.Combine(_root, ".iolink-other"), [1]);
        Assert.Equal([".iolink-other"], _store.List());
    }

    [Fact]
    public void A_random_access_reads_the_file_through_a_handle()
    {
        _store.Set("blob", [5, 6, 7, 8]);
        using var access = _store.OpenRandomAccess("blob")!;
        var two = new byte[2];
        access.Read(2, two);
        Assert.Equal([7, 8], two);
    }
}
