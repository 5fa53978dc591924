namespace IOLink.Tests.Model;

public class VectorXu64Tests
{
    [Fact]
    public void ToString_UsesIOLinkSpelling() => Assert.Equal("VectorXu64(2, 3)", new VectorXu64(2, 3).ToString());

    [Fact]
    public void Equality_ComparesValues()
    {
        VectorXu64 a = new ulong[] { 1, 2, 3 };
        var b = new VectorXu64(1, 2, 3);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new VectorXu64(1, 2));
        Assert.Equal([1UL, 2, 3], a.ToArray());
        Assert.Equal(3, a.Size);
        Assert.Equal(6UL, a.ComputeProduct());
    }

    [Fact]
    public void Constructor_CopiesItsArgument()
    {
        var values = new ulong[] { 4, 5 };
        var v = new VectorXu64(values);
        values[0] = 99;
        Assert.Equal(4UL, v[0]);
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new VectorXu64(1, 2)[2]);
        Assert.Contains("outside this 2-element vector", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Region_FullRegion_AndRankMismatch()
    {
        var r = RegionXu64.CreateFullRegion(new VectorXu64(3, 4));
        Assert.Equal(new VectorXu64(0, 0), r.Origin);
        Assert.Equal(new VectorXu64(3, 4), r.Size);
        var ex = Assert.Throws<ArgumentException>(() => new RegionXu64(new VectorXu64(0), new VectorXu64(1, 1)));
        Assert.Contains("same dimension count", ex.Message, StringComparison.Ordinal);
    }
}

public class DataTypeTests
{
    public static TheoryData<DataTypeId, PrimitiveTypeId, uint, uint, int> Scalars => new()
    {
        { DataTypeId.UINT8, PrimitiveTypeId.UNSIGNED_INTEGER, 1, 8, 1 },
        { DataTypeId.INT8, PrimitiveTypeId.SIGNED_INTEGER, 1, 8, 1 },
        { DataTypeId.UINT16, PrimitiveTypeId.UNSIGNED_INTEGER, 1, 16, 2 },
        { DataTypeId.INT16, PrimitiveTypeId.SIGNED_INTEGER, 1, 16, 2 },
        { DataTypeId.UINT32, PrimitiveTypeId.UNSIGNED_INTEGER, 1, 32, 4 },
        { DataTypeId.INT32, PrimitiveTypeId.SIGNED_INTEGER, 1, 32, 4 },
        { DataTypeId.UINT64, PrimitiveTypeId.UNSIGNED_INTEGER, 1, 64, 8 },
        { DataTypeId.INT64, PrimitiveTypeId.SIGNED_INTEGER, 1, 64, 8 },
        { DataTypeId.FLOAT, PrimitiveTypeId.FLOATING_POINT, 1, 32, 4 },
        { DataTypeId.DOUBLE, PrimitiveTypeId.FLOATING_POINT, 1, 64, 8 },
        { DataTypeId.VEC3_UINT16, PrimitiveTypeId.UNSIGNED_INTEGER, 3, 16, 6 },
        { DataTypeId.VEC2_INT8, PrimitiveTypeId.SIGNED_INTEGER, 2, 8, 2 },
        { DataTypeId.VEC4_DOUBLE, PrimitiveTypeId.FLOATING_POINT, 4, 64, 32 },
        { DataTypeId.COMPLEX_FLOAT, PrimitiveTypeId.FLOATING_POINT, 2, 32, 8 },
        { DataTypeId.COMPLEX_DOUBLE, PrimitiveTypeId.FLOATING_POINT, 2, 64, 16 },
        { DataTypeId.MATRIX3_FLOAT, PrimitiveTypeId.FLOATING_POINT, 9, 32, 36 },
        { DataTypeId.MATRIX4_DOUBLE, PrimitiveTypeId.FLOATING_POINT, 16, 64, 128 },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void NamedIds_UnpackToTheirFields(DataTypeId id, PrimitiveTypeId primitive, uint dimension, uint bits, int bytes)
    {
        DataType t = id;
        Assert.Equal(primitive, t.PrimitiveType);
        Assert.Equal(dimension, t.Dimension);
        Assert.Equal(bits, t.BitDepth);
        Assert.Equal(bytes, t.ByteCount);
        Assert.Equal((ulong)id, t.Id);
        Assert.Equal(id.ToString(), t.ToString());
        Assert.Equal(t, new DataType(primitive, dimension, bits, t.Interpretation));
    }

    [Fact]
    public void EveryNamedId_RoundTripsThroughItsFields()
    {
        var count = 0;
        foreach (var id in Enum.GetValues<DataTypeId>().Where(i => i != DataTypeId.UNKNOWN))
        {
            DataType t = id;
            Assert.Equal(t, new DataType(t.PrimitiveType, t.Dimension, t.BitDepth, t.Interpretation));
            Assert.Equal(id.ToString(), t.ToString());
            count++;
        }

        Assert.Equal(10 + 30 + 2 + 6 + 1, count);
    }

    [Fact]
    public void DefaultInterpretation_IsVectorForSeveralComponents()
    {
        Assert.Equal((DataType)DataTypeId.VEC3_UINT16, new DataType(PrimitiveTypeId.UNSIGNED_INTEGER, 3, 16));
        Assert.True(((DataType)DataTypeId.VEC3_UINT16).IsVector);
        Assert.False(((DataType)DataTypeId.VEC3_UINT16).IsScalar);
        Assert.True(((DataType)DataTypeId.UINT16).IsScalar);
        Assert.Equal((DataType)DataTypeId.UINT16, ((DataType)DataTypeId.VEC3_UINT16).ComponentType);
        Assert.Equal((DataType)DataTypeId.FLOAT, ((DataType)DataTypeId.COMPLEX_FLOAT).ComponentType);
    }

    [Fact]
    public void UnnamedType_PrintsItsFields() =>
        Assert.Equal("DataType(UNSIGNED_INTEGER, 5, 8, VECTOR)", new DataType(PrimitiveTypeId.UNSIGNED_INTEGER, 5, 8).ToString());

    [Theory]
    [InlineData(PrimitiveTypeId.UNSIGNED_INTEGER, 1u, 12u, null, "Bit depth 12")]
    [InlineData(PrimitiveTypeId.FLOATING_POINT, 1u, 8u, null, "Bit depth 8")]
    [InlineData(PrimitiveTypeId.UNKNOWN, 1u, 8u, null, "Primitive type UNKNOWN")]
    [InlineData(PrimitiveTypeId.UNSIGNED_INTEGER, 0u, 8u, null, "Component count 0")]
    [InlineData(PrimitiveTypeId.SIGNED_INTEGER, 2u, 16u, DataTypeInterpretation.COMPLEX, "COMPLEX needs 2 floating point")]
    [InlineData(PrimitiveTypeId.FLOATING_POINT, 5u, 32u, DataTypeInterpretation.MATRIX, "MATRIX needs 4, 9 or 16")]
    [InlineData(PrimitiveTypeId.FLOATING_POINT, 1u, 32u, DataTypeInterpretation.VECTOR, "VECTOR needs 2 or more")]
    public void InvalidFields_Throw(PrimitiveTypeId p, uint dim, uint bits, DataTypeInterpretation? interp, string fragment)
    {
        var ex = Assert.Throws<ArgumentException>(() => new DataType(p, dim, bits, interp));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnnamedId_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => DataType.FromId((DataTypeId)12345));
        Assert.Contains("not a named data type id", ex.Message, StringComparison.Ordinal);
    }
}

public class ImageTypeTests
{
    [Theory]
    [InlineData(ImageTypeId.IMAGE, new[] { ImageDimension.COLUMN, ImageDimension.ROW })]
    [InlineData(ImageTypeId.VOLUME, new[] { ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE })]
    [InlineData(ImageTypeId.MULTISPECTRAL_IMAGE, new[] { ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.CHANNEL })]
    [InlineData(ImageTypeId.MULTISPECTRAL_VOLUME, new[] { ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE, ImageDimension.CHANNEL })]
    [InlineData(ImageTypeId.IMAGE_SEQUENCE, new[] { ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SEQUENCE })]
    [InlineData(ImageTypeId.VOLUME_SEQUENCE, new[] { ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE, ImageDimension.SEQUENCE })]
    [InlineData(ImageTypeId.MULTISPECTRAL_IMAGE_SEQUENCE, new[] { ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.CHANNEL, ImageDimension.SEQUENCE })]
    [InlineData(ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE, new[] { ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE, ImageDimension.CHANNEL, ImageDimension.SEQUENCE })]
    public void NamedIds_HaveTheirDimensionsInCanonicalOrder(ImageTypeId id, ImageDimension[] dims)
    {
        ImageType t = id;
        Assert.Equal(dims, t.Dimensions);
        Assert.Equal(dims.Length, t.DimensionCount);
        Assert.Equal(id, t.Id);
        Assert.Equal(id, ImageType.FromDimensions([.. dims.Reverse()]).Id);
    }

    [Fact]
    public void Unknown_HasNoDimensions()
    {
        ImageType t = ImageTypeId.UNKNOWN;
        Assert.False(t.IsKnown);
        Assert.Empty(t.Dimensions);
        Assert.Equal(default, t);
    }

    [Fact]
    public void RepeatedDimension_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageType.FromDimensions(ImageDimension.ROW, ImageDimension.ROW));
        Assert.Contains("listed twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamedIds_AreExactlyTheEnumMembers()
    {
        // DataType and ImageType tell their named ids by the rule the members follow rather than by Enum.IsDefined and
        // Enum.ToString: every packing of the four fields (with stray high bits too) agrees with the enums.
        foreach (var interpretation in new ulong[] { 0, 1, 2, 3, 4, 255 })
        {
            foreach (var primitive in new ulong[] { 0, 1, 2, 3, 4, 5 })
            {
                for (ulong dimension = 0; dimension <= 17; dimension++)
                {
                    foreach (var bits in new ulong[] { 0, 1, 8, 16, 24, 32, 64, 128 })
                    {
                        foreach (var high in new ulong[] { 0, 1UL << 32, 1UL << 63 })
                        {
                            var id = (DataTypeId)(high | interpretation << 24 | primitive << 16 | dimension << 8 | bits);
                            if (id != DataTypeId.UNKNOWN && Enum.IsDefined(id))
                            {
                                DataType t = id;
                                Assert.True(t.TryGetNamedId(out var named));
                                Assert.Equal(id, named);
                                Assert.Equal(id.ToString(), t.ToString());
                            }
                            else
                            {
                                Assert.Contains("is not a named data type id", Assert.Throws<ArgumentException>(() => DataType.FromId(id)).Message, StringComparison.Ordinal);
                            }
                        }
                    }
                }
            }
        }

        for (var mask = 0; mask < 64; mask++)
        {
            var id = (ImageTypeId)mask;
            if (Enum.IsDefined(id))
            {
                ImageType t = id;
                Assert.Equal(id, t.Id);
                Assert.Equal(id.ToString(), t.ToString());
            }
            else
            {
                Assert.Contains("is not an ImageTypeId", Assert.Throws<ArgumentException>(() => ImageType.FromId(id)).Message, StringComparison.Ordinal);
            }
        }

        for (var mask = 1; mask < 32; mask++)
        {
            var dimensions = Enumerable.Range(0, 5).Where(d => (mask & (1 << d)) != 0).Select(d => (ImageDimension)d).ToArray();
            var id = (ImageTypeId)mask;
            Assert.Equal(Enum.IsDefined(id) ? id : ImageTypeId.UNKNOWN, ImageType.FromDimensions(dimensions).Id);
        }
    }

    [Fact]
    public void UnnamedCombination_HasUnknownIdButKnownDimensions()
    {
        var t = ImageType.FromDimensions(ImageDimension.COLUMN);
        Assert.True(t.IsKnown);
        Assert.Equal(ImageTypeId.UNKNOWN, t.Id);
        Assert.Equal("ImageType(COLUMN)", t.ToString());
        Assert.Equal(2, ((ImageType)ImageTypeId.MULTISPECTRAL_VOLUME).IndexOf(ImageDimension.SLICE));
        Assert.Equal(-1, ((ImageType)ImageTypeId.IMAGE).IndexOf(ImageDimension.SLICE));
    }
}

public class PropertiesAndMetadataTests
{
    [Fact]
    public void Properties_Clone_IsIndependent()
    {
        var p = new ImageProperties(ImageTypeId.VOLUME) { ImageInterpretation = ImageInterpretation.GRAYSCALE, SpatialUnit = "mm" };
        p.SpatialSpacing = [0.5, 0.5, 2];
        var c = p.Clone();
        c.SpatialSpacing = [1, 1, 1];
        Assert.Equal([0.5, 0.5, 2], p.SpatialSpacing);
        Assert.Equal(ImageInterpretation.GRAYSCALE, c.ImageInterpretation);
        Assert.Equal("mm", c.SpatialUnit);
    }

    [Fact]
    public void Properties_WrongSpatialLength_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ImageProperties { SpatialOrigin = [1, 2] });
        Assert.Contains("needs 3 numbers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ViewProperties_RejectAnInterpretationOfTheWrongRank()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(2, 3), DataTypeId.UINT8);
        v.Properties.AxesInterpretation = ImageTypeId.IMAGE;
        var ex = Assert.Throws<ArgumentException>(() => v.Properties.AxesInterpretation = ImageTypeId.VOLUME);
        Assert.Contains("has 3 dimension(s) but the view has 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal((ImageType)ImageTypeId.IMAGE, v.AxesInterpretation);
    }

    [Fact]
    public void Metadata_Tree()
    {
        var root = new MetadataNode("root");
        root.Add("acquisition", null).Add("voltage", 120.0);
        Assert.Equal(120.0, root.Find("acquisition/voltage")!.Value);
        Assert.Null(root.Find("acquisition/missing"));
        var copy = root.Clone();
        copy.Find("acquisition/voltage")!.Value = 1.0;
        Assert.Equal(120.0, root.Find("acquisition/voltage")!.Value);
        Assert.Throws<ArgumentException>(() => new MetadataNode("a/b"));
    }

    [Fact]
    public void Properties_PrintTheirValues()
    {
        var p = new ImageProperties(ImageTypeId.VOLUME) { SpatialSpacing = [0.5, 0.5, 2], SpatialUnit = "mm", ImageInterpretation = ImageInterpretation.BINARY };
        Assert.Equal("ImageProperties(axes VOLUME, BINARY, spacing (0.5, 0.5, 2) mm, origin (0, 0, 0) mm)", p.ToString());
        Assert.Equal("ImageProperties(axes UNKNOWN, UNKNOWN, spacing (1, 1, 1), origin (0, 0, 0))", new ImageProperties().ToString());
    }
}

public class UnnamedDataTypeTests
{
    [Fact]
    public void HalfFloats_HaveNames_AndOtherUnnamedTypesTheirParts()
    {
        Assert.Equal("FLOAT16", new DataType(PrimitiveTypeId.FLOATING_POINT, 1, 16).ToString());
        Assert.Equal("VEC3_FLOAT16", new DataType(PrimitiveTypeId.FLOATING_POINT, 3, 16).ToString());
        Assert.Equal("COMPLEX_FLOAT16", new DataType(PrimitiveTypeId.FLOATING_POINT, 2, 16, DataTypeInterpretation.COMPLEX).ToString());
        Assert.Equal("UINT16", new DataType(PrimitiveTypeId.UNSIGNED_INTEGER, 1, 16).ToString());
    }
}
