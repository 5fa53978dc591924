namespace IOLink;

/// <summary>What one element of a view is: primitive type, bit depth and count of components, interpretation.</summary>
public readonly struct DataType : IEquatable<DataType>
{
    private readonly ulong _id;

    /// <summary>Creates a data type from its four fields.</summary>
    /// <param name="primitiveType">How one component is read.</param>
    /// <param name="dimension">The number of components of one element (1 for scalars).</param>
    /// <param name="bitDepth">The bit depth of one component: 8, 16, 32 or 64 (16, 32 or 64 for floating point).</param>
    /// <param name="interpretation">What the components mean together; when omitted, RAW for one component
    /// and VECTOR for several.</param>
    /// <exception cref="ArgumentException">The fields do not form a valid data type.</exception>
    public DataType(PrimitiveTypeId primitiveType, uint dimension, uint bitDepth, DataTypeInterpretation? interpretation = null)
    {
        var interp = interpretation ?? (dimension == 1 ? DataTypeInterpretation.RAW : DataTypeInterpretation.VECTOR);
        Validate(primitiveType, dimension, bitDepth, interp);
        _id = Pack(primitiveType, dimension, bitDepth, interp);
    }

    private DataType(ulong id) => _id = id;

    /// <summary>The packed 64-bit id (see <see cref="DataTypeId"/>).</summary>
    public ulong Id => _id;

    /// <summary>How one component is read.</summary>
    public PrimitiveTypeId PrimitiveType => (PrimitiveTypeId)((_id >> 16) & 0xFF);

    /// <summary>The number of components of one element.</summary>
    public uint Dimension => (uint)((_id >> 8) & 0xFF);

    /// <summary>The bit depth of one component.</summary>
    public uint BitDepth => (uint)(_id & 0xFF);

    /// <summary>What the components mean together.</summary>
    public DataTypeInterpretation Interpretation => (DataTypeInterpretation)((_id >> 24) & 0xFF);

    /// <summary>The size of one element in bytes.</summary>
    public int ByteCount => (int)(Dimension * BitDepth / 8);

    /// <summary>The size of one component in bytes.</summary>
    public int ComponentByteCount => (int)(BitDepth / 8);

    /// <summary>Whether an element is one plain value.</summary>
    public bool IsScalar => Dimension == 1;

    /// <summary>Whether an element is a vector of components stored side by side.</summary>
    public bool IsVector => Interpretation == DataTypeInterpretation.VECTOR;

    /// <summary>Whether this is a valid data type (a default <see cref="DataType"/> is not).</summary>
    public bool IsValid => _id != 0;

    /// <summary>Whether this is <see cref="DataTypeId.UTF8_STRING"/>, text for table columns: not an element type of image views.</summary>
    public bool IsString => PrimitiveType == PrimitiveTypeId.UNICODE_STRING;

    /// <summary>Whether a view's elements can be of this type: valid and numeric.</summary>
    internal bool IsElementType => _id != 0 && !IsString;

    /// <summary>The scalar data type of one component (FLOAT for COMPLEX_FLOAT, UINT16 for VEC3_UINT16).</summary>
    public DataType ComponentType => new(Pack(PrimitiveType, 1, BitDepth, DataTypeInterpretation.RAW));

    /// <summary>The named id, when this data type has one.</summary>
    public bool TryGetNamedId(out DataTypeId id)
    {
        id = (DataTypeId)_id;
        return _id != 0 && IsNamed(_id);
    }

    /// <summary>The data type of a named id.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a named data type id.</exception>
    public static implicit operator DataType(DataTypeId id) => FromId(id);

    /// <summary>The data type of a named id; same as the implicit conversion.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a named data type id.</exception>
    public static DataType FromId(DataTypeId id)
    {
        if (id == DataTypeId.UNKNOWN || !IsNamed((ulong)id))
        {
            throw new ArgumentException(
                $"0x{(ulong)id:X} is not a named data type id; use a DataTypeId member such as UINT16 or VEC3_UINT16.",
                nameof(id));
        }

        return new DataType((ulong)id);
    }

    /// <summary>The vector type of <paramref name="components"/> components of this scalar type.</summary>
    /// <exception cref="ArgumentException">This type is not scalar, or the count is not 2, 3 or 4.</exception>
    public DataType ToVector(uint components)
    {
        if (!IsScalar || Interpretation != DataTypeInterpretation.RAW)
        {
            throw new ArgumentException($"Only a scalar type can become a vector type, and {this} is not scalar; start from its ComponentType.", nameof(components));
        }

        return new DataType(PrimitiveType, components, BitDepth, DataTypeInterpretation.VECTOR);
    }

    /// <inheritdoc/>
    public bool Equals(DataType other) => _id == other._id;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DataType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _id.GetHashCode();

    /// <summary>Whether two data types are the same.</summary>
    public static bool operator ==(DataType left, DataType right) => left._id == right._id;

    /// <summary>Whether two data types differ.</summary>
    public static bool operator !=(DataType left, DataType right) => left._id != right._id;

    /// <summary>The named id (<c>UINT16</c>, <c>VEC3_UINT16</c>) or the four fields.</summary>
    public override string ToString()
    {
        if (TryGetNamedId(out _))
        {
            return NamedIdText();
        }

        if (_id == 0)
        {
            return "UNKNOWN";
        }

        // Half floats have no DataTypeId: named as their NumPy kin is (float16), in the style of the named types.
        var half = PrimitiveType != PrimitiveTypeId.FLOATING_POINT || BitDepth != 16 ? null : (Interpretation, Dimension) switch
        {
            (DataTypeInterpretation.RAW, 1) => "FLOAT16",
            (DataTypeInterpretation.VECTOR, var n) => $"VEC{n}_FLOAT16",
            (DataTypeInterpretation.COMPLEX, 2) => "COMPLEX_FLOAT16",
            _ => null,
        };
        return half ?? $"DataType({PrimitiveType}, {Dimension}, {BitDepth}, {Interpretation})";
    }

    /// <summary>
    /// Whether a packed id is a <see cref="DataTypeId"/> member, by the rule the members follow: integers of 8 to 64
    /// bits and 32- or 64-bit floats, as scalars (RAW), vectors of 2 to 4, complex pairs of floats, 2x2 to 4x4
    /// matrices of floats; and UTF8_STRING. A test holds this to the enum. (Enum.IsDefined and Enum.ToString are left
    /// out: their generic code and reflection ran in every process's first view.)
    /// </summary>
    private static bool IsNamed(ulong id)
    {
        if (id == (ulong)DataTypeId.UTF8_STRING)
        {
            return true;
        }

        if (id >> 32 != 0)
        {
            return false;
        }

        var type = new DataType(id);
        var integer = type.PrimitiveType is PrimitiveTypeId.UNSIGNED_INTEGER or PrimitiveTypeId.SIGNED_INTEGER && type.BitDepth is 8 or 16 or 32 or 64;
        var real = type.PrimitiveType == PrimitiveTypeId.FLOATING_POINT && type.BitDepth is 32 or 64;
        return type.Interpretation switch
        {
            DataTypeInterpretation.RAW => type.Dimension == 1 && (integer || real),
            DataTypeInterpretation.VECTOR => type.Dimension is 2 or 3 or 4 && (integer || real),
            DataTypeInterpretation.COMPLEX => type.Dimension == 2 && real,
            DataTypeInterpretation.MATRIX => type.Dimension is 4 or 9 or 16 && real,
            _ => false,
        };
    }

    /// <summary>The name of the <see cref="DataTypeId"/> member this type is (<see cref="IsNamed"/>), composed by the members' own pattern.</summary>
    private string NamedIdText()
    {
        if (IsString)
        {
            return "UTF8_STRING";
        }

        var scalar = (PrimitiveType, BitDepth) switch
        {
            (PrimitiveTypeId.FLOATING_POINT, 32) => "FLOAT",
            (PrimitiveTypeId.FLOATING_POINT, _) => "DOUBLE",
            (PrimitiveTypeId.UNSIGNED_INTEGER, 8) => "UINT8",
            (PrimitiveTypeId.UNSIGNED_INTEGER, 16) => "UINT16",
            (PrimitiveTypeId.UNSIGNED_INTEGER, 32) => "UINT32",
            (PrimitiveTypeId.UNSIGNED_INTEGER, _) => "UINT64",
            (_, 8) => "INT8",
            (_, 16) => "INT16",
            (_, 32) => "INT32",
            _ => "INT64",
        };
        return (Interpretation, Dimension) switch
        {
            (DataTypeInterpretation.RAW, _) => scalar,
            (DataTypeInterpretation.COMPLEX, _) => "COMPLEX_" + scalar,
            (DataTypeInterpretation.VECTOR, 2) => "VEC2_" + scalar,
            (DataTypeInterpretation.VECTOR, 3) => "VEC3_" + scalar,
            (DataTypeInterpretation.VECTOR, _) => "VEC4_" + scalar,
            (_, 4) => "MATRIX2_" + scalar,
            (_, 9) => "MATRIX3_" + scalar,
            _ => "MATRIX4_" + scalar,
        };
    }

    private static ulong Pack(PrimitiveTypeId primitive, uint dimension, uint bitDepth, DataTypeInterpretation interpretation) =>
        ((ulong)interpretation << 24) | ((ulong)primitive << 16) | ((ulong)dimension << 8) | bitDepth;

    private static void Validate(PrimitiveTypeId primitiveType, uint dimension, uint bitDepth, DataTypeInterpretation interpretation)
    {
        if (primitiveType == PrimitiveTypeId.UNICODE_STRING)
        {
            if (dimension != 1 || bitDepth != 8 || interpretation != DataTypeInterpretation.RAW)
            {
                throw new ArgumentException("Text is one UTF-8 string per value: UNICODE_STRING takes 1 component of 8 bits, RAW (DataTypeId.UTF8_STRING).", nameof(primitiveType));
            }

            return;
        }

        if (primitiveType is not (PrimitiveTypeId.UNSIGNED_INTEGER or PrimitiveTypeId.SIGNED_INTEGER or PrimitiveTypeId.FLOATING_POINT))
        {
            throw new ArgumentException(
                $"Primitive type {primitiveType} is not valid; use UNSIGNED_INTEGER, SIGNED_INTEGER, FLOATING_POINT or UNICODE_STRING.",
                nameof(primitiveType));
        }

        var bitsOk = primitiveType == PrimitiveTypeId.FLOATING_POINT
            ? bitDepth is 16 or 32 or 64
            : bitDepth is 8 or 16 or 32 or 64;
        if (!bitsOk)
        {
            throw new ArgumentException(
                $"Bit depth {bitDepth} is not valid for {primitiveType}; use 8, 16, 32 or 64 (16, 32 or 64 for FLOATING_POINT).",
                nameof(bitDepth));
        }

        if (dimension is 0 or > 255)
        {
            throw new ArgumentException($"Component count {dimension} is not valid; use 1 to 255.", nameof(dimension));
        }

        switch (interpretation)
        {
            case DataTypeInterpretation.RAW:
                break;
            case DataTypeInterpretation.VECTOR when dimension >= 2:
                break;
            case DataTypeInterpretation.COMPLEX when dimension == 2 && primitiveType == PrimitiveTypeId.FLOATING_POINT:
                break;
            case DataTypeInterpretation.MATRIX when dimension is 4 or 9 or 16:
                break;
            default:
                throw new ArgumentException(
                    $"Interpretation {interpretation} does not fit {dimension} component(s) of {primitiveType}: VECTOR needs 2 or more, " +
                    "COMPLEX needs 2 floating point components, MATRIX needs 4, 9 or 16.",
                    nameof(interpretation));
        }
    }
}
