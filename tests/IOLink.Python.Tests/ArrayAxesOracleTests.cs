using IOLink.Interop;
using Python.Runtime;

namespace IOLink.Python.Tests;

/// <summary>
/// The core's public axis rules (<see cref="ArrayAxes"/>) with NumPy as the oracle: for every element of a view that
/// the rules describe over an array's memory, the byte address the rules give is the address NumPy gives for the
/// array element the rule names (IOLINK.md section 3, rules 1 to 8, C, Fortran, transposed, sliced and flipped arrays).
/// </summary>
[Collection(PythonTests.Name)]
public sealed class ArrayAxesOracleTests
{
    // Each case: an array expression, how its axes are read (null: rule 1; an ImageTypeId name: rule 2; letters: rule 3),
    // and the letters each array axis stands for (X, Y, Z, C, T; V for vector components), which the oracle uses.
    public static TheoryData<string, string?, string> Cases => new()
    {
        { "np.arange(6, dtype=np.uint16).reshape(2, 3)", null, "ab" },
        { "np.asfortranarray(np.arange(6, dtype=np.uint16).reshape(2, 3))", null, "ab" },
        { "np.arange(24, dtype=np.int32).reshape(2, 3, 4)[:, ::-1, 1::2]", null, "abc" },
        { "np.arange(6, dtype=np.uint16).reshape(2, 3)", "IMAGE", "YX" },
        { "np.asfortranarray(np.arange(6, dtype=np.uint16).reshape(2, 3))", "IMAGE", "YX" },
        { "np.arange(60, dtype=np.float32).reshape(3, 4, 5)", "VOLUME", "ZYX" },
        { "np.arange(60, dtype=np.float64).reshape(3, 4, 5)[::-1, 1:, ::2]", "VOLUME", "ZYX" },
        { "np.arange(24, dtype=np.uint8).reshape(4, 2, 3)", "MULTISPECTRAL_IMAGE", "YXC" },
        { "np.arange(72, dtype=np.int16).reshape(2, 3, 4, 3)", "IMAGE_SEQUENCE", "TYXV" },
        { "np.arange(36, dtype=np.uint16).reshape(3, 4, 3)", "IMAGE", "YXV" },
        { "np.arange(24, dtype=np.int64).reshape(2, 3, 4).transpose(2, 0, 1)", "VOLUME", "ZYX" },
        { "np.arange(6, dtype=np.uint16).reshape(2, 3)", "XY", "XY" },
        { "np.arange(60, dtype=np.uint8).reshape(3, 4, 5)", "XZY", "XZY" },
        { "np.arange(48, dtype=np.float32).reshape(4, 3, 4)[:, :, :2].copy()", "YXV", "YXV" },
        { "np.arange(120, dtype=np.uint16).reshape(2, 3, 4, 5)", "TCYX", "TCYX" },
    };

    private static readonly Dictionary<char, ImageDimension> Letters = new()
    {
        ['X'] = ImageDimension.COLUMN, ['Y'] = ImageDimension.ROW, ['Z'] = ImageDimension.SLICE,
        ['C'] = ImageDimension.CHANNEL, ['T'] = ImageDimension.SEQUENCE,
    };

    private static DataType ItemType(PyObject a) =>
        NumpyDataTypes.FromKind(Np.Get<string>("a.dtype.kind", ("a", a))[0], Np.Get<int>("a.dtype.itemsize", ("a", a)))!.Value;

    private static ViewLayout Rules(PyObject a, string? how)
    {
        var lengths = Np.Longs("a.shape", ("a", a));
        var strides = Np.Longs("a.strides", ("a", a));
        var item = ItemType(a);
        if (how is null)
        {
            return ArrayAxes.Import(lengths, strides, item);
        }

        if (Enum.TryParse<ImageTypeId>(how, out var id))
        {
            return ArrayAxes.Import(lengths, strides, item, id);
        }

        return ArrayAxes.Import(lengths, strides, item, how.Where(c => c != 'V').Select(c => Letters[c]).ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_element_is_where_NumPy_puts_it(string expression, string? how, string letters)
    {
        using var a = Np.Ref(expression);
        var layout = Rules(a, how);
        var item = ItemType(a);
        var address = Np.Get<long>("a.__array_interface__['data'][0]", ("a", a));
        var strides = layout.ByteStrides;

        // The view's dimensions, in view order: plain imports keep the array's axes; named ones are canonical.
        var rank = letters.Count(c => c != 'V');
        Assert.Equal(rank, layout.Shape.Size);
        var viewLetters = how is null
            ? letters.ToCharArray()
            : letters.Where(c => c != 'V').OrderBy(c => Letters[c]).ToArray();
        var components = letters.Contains('V', StringComparison.Ordinal) ? Np.Longs("a.shape", ("a", a))[^1] : 1;
        Assert.Equal(components == 1 ? item : item.ToVector((uint)components), layout.DataType);
        Assert.Equal(how is null ? ImageType.Unknown : ImageType.FromDimensions(viewLetters.Select(c => Letters[c]).ToArray()), layout.AxesInterpretation);

        foreach (var index in Indices(layout.Shape))
        {
            for (long component = 0; component < components; component++)
            {
                // The array index the rule names: each array axis takes the view index of the dimension it stands for.
                var arrayIndex = letters.Select(c => c == 'V' ? component : index[Array.IndexOf(viewLetters, c)]).ToArray();
                var slices = string.Join(", ", arrayIndex.Select(i => $"{i}:{i + 1}"));
                var oracle = Np.Get<long>($"a[{slices}].__array_interface__['data'][0]", ("a", a));
                long offset = component * item.ByteCount;
                for (var d = 0; d < rank; d++)
                {
                    offset += index[d] * strides[d];
                }

                Assert.Equal(oracle, address + offset);
            }
        }

        // The extent is the memory NumPy's own element addresses span.
        var lowest = Np.Get<long>("int(min(a[tuple(slice(i, i + 1) for i in ix)].__array_interface__['data'][0] for ix in np.ndindex(a.shape)))", ("a", a));
        Assert.Equal(lowest, address + layout.LowestByteOffset);
    }

    [Theory]
    [InlineData("np.zeros((4, 5, 6), np.uint16)", "VOLUME", null, "(0, 1, 2)")]
    [InlineData("np.zeros((4, 5, 6), np.uint16)", "VOLUME", "ZXY", "(0, 2, 1)")]
    [InlineData("np.zeros((4, 5, 6), np.uint16)", "VOLUME", "XYZ", "(2, 1, 0)")]
    [InlineData("np.zeros((2, 4, 5, 3), np.uint16)", "IMAGE_SEQUENCE", null, "(0, 1, 2, 3)")]
    [InlineData("np.zeros((2, 4, 5, 3), np.uint16)", "IMAGE_SEQUENCE", "CTYX", "(3, 0, 1, 2)")]
    [InlineData("np.zeros((4, 5), np.uint16)", null, null, "(0, 1)")]
    public void Export_is_NumPys_transpose_of_the_imported_array(string expression, string? type, string? order, string permutation)
    {
        using var a = Np.Ref(expression);
        using var view = type is null ? NumpyInterop.FromNumpyArray(a) : NumpyInterop.FromNumpyArray(a, Enum.Parse<ImageTypeId>(type));
        var exported = ArrayAxes.Export(view, order?.Select(c => Letters[c]).ToArray());
        Assert.Equal(Np.Longs($"a.transpose{permutation}.shape", ("a", a)), exported.Lengths.ToArray());
        Assert.Equal(Np.Longs($"a.transpose{permutation}.strides", ("a", a)), exported.ByteStrides.ToArray());
        Assert.Equal(DataType.FromId(DataTypeId.UINT16), exported.ItemType);
    }

    [Theory]
    [InlineData("np.zeros((2, 3), np.uint16)", "VOLUME", "rank 2 does not fit VOLUME")]
    [InlineData("np.zeros((2, 3, 5), np.uint16)", "IMAGE", "length 5")]
    [InlineData("np.zeros((2, 3, 4), np.uint16)[:, :, ::2]", "IMAGE", "not packed")]
    [InlineData("np.zeros((2, 3, 2), np.complex64)", "IMAGE", "no vectors of complex")]
    public void Refusals_say_why(string expression, string type, string fragment)
    {
        using var a = Np.Ref(expression);
        var ex = Assert.Throws<ArgumentException>(() => Rules(a, type));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        Assert.Equal("interpretation", ex.ParamName);
    }

    private static IEnumerable<long[]> Indices(VectorXu64 shape)
    {
        var index = new long[shape.Size];
        while (true)
        {
            yield return (long[])index.Clone();
            var k = 0;
            while (k < index.Length && ++index[k] == (long)shape[k])
            {
                index[k] = 0;
                k++;
            }

            if (k == index.Length)
            {
                yield break;
            }
        }
    }
}
