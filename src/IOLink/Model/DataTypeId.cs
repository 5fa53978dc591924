namespace IOLink;

/// <summary>
/// The named data types. Each value is the packed <see cref="DataType.Id"/>: bits 0-7 the bit depth of one component,
/// bits 8-15 the component count, bits 16-23 the <see cref="PrimitiveTypeId"/>, bits 24-31 the
/// <see cref="DataTypeInterpretation"/>.
/// </summary>
public enum DataTypeId : ulong
{
    /// <summary>No data type; not valid for a view.</summary>
    UNKNOWN = 0,

    /// <summary>One 8-bit unsigned integer.</summary>
    UINT8 = ((0UL << 24) | (1UL << 16) | (1UL << 8) | 8UL),

    /// <summary>One 8-bit signed integer.</summary>
    INT8 = ((0UL << 24) | (2UL << 16) | (1UL << 8) | 8UL),

    /// <summary>One 16-bit unsigned integer.</summary>
    UINT16 = ((0UL << 24) | (1UL << 16) | (1UL << 8) | 16UL),

    /// <summary>One 16-bit signed integer.</summary>
    INT16 = ((0UL << 24) | (2UL << 16) | (1UL << 8) | 16UL),

    /// <summary>One 32-bit unsigned integer.</summary>
    UINT32 = ((0UL << 24) | (1UL << 16) | (1UL << 8) | 32UL),

    /// <summary>One 32-bit signed integer.</summary>
    INT32 = ((0UL << 24) | (2UL << 16) | (1UL << 8) | 32UL),

    /// <summary>One 64-bit unsigned integer.</summary>
    UINT64 = ((0UL << 24) | (1UL << 16) | (1UL << 8) | 64UL),

    /// <summary>One 64-bit signed integer.</summary>
    INT64 = ((0UL << 24) | (2UL << 16) | (1UL << 8) | 64UL),

    /// <summary>One 32-bit floating point.</summary>
    FLOAT = ((0UL << 24) | (3UL << 16) | (1UL << 8) | 32UL),

    /// <summary>One 64-bit floating point.</summary>
    DOUBLE = ((0UL << 24) | (3UL << 16) | (1UL << 8) | 64UL),

    /// <summary>A vector of 2 8-bit unsigned integer components.</summary>
    VEC2_UINT8 = ((2UL << 24) | (1UL << 16) | (2UL << 8) | 8UL),

    /// <summary>A vector of 2 8-bit signed integer components.</summary>
    VEC2_INT8 = ((2UL << 24) | (2UL << 16) | (2UL << 8) | 8UL),

    /// <summary>A vector of 2 16-bit unsigned integer components.</summary>
    VEC2_UINT16 = ((2UL << 24) | (1UL << 16) | (2UL << 8) | 16UL),

    /// <summary>A vector of 2 16-bit signed integer components.</summary>
    VEC2_INT16 = ((2UL << 24) | (2UL << 16) | (2UL << 8) | 16UL),

    /// <summary>A vector of 2 32-bit unsigned integer components.</summary>
    VEC2_UINT32 = ((2UL << 24) | (1UL << 16) | (2UL << 8) | 32UL),

    /// <summary>A vector of 2 32-bit signed integer components.</summary>
    VEC2_INT32 = ((2UL << 24) | (2UL << 16) | (2UL << 8) | 32UL),

    /// <summary>A vector of 2 64-bit unsigned integer components.</summary>
    VEC2_UINT64 = ((2UL << 24) | (1UL << 16) | (2UL << 8) | 64UL),

    /// <summary>A vector of 2 64-bit signed integer components.</summary>
    VEC2_INT64 = ((2UL << 24) | (2UL << 16) | (2UL << 8) | 64UL),

    /// <summary>A vector of 2 32-bit floating point components.</summary>
    VEC2_FLOAT = ((2UL << 24) | (3UL << 16) | (2UL << 8) | 32UL),

    /// <summary>A vector of 2 64-bit floating point components.</summary>
    VEC2_DOUBLE = ((2UL << 24) | (3UL << 16) | (2UL << 8) | 64UL),

    /// <summary>A vector of 3 8-bit unsigned integer components.</summary>
    VEC3_UINT8 = ((2UL << 24) | (1UL << 16) | (3UL << 8) | 8UL),

    /// <summary>A vector of 3 8-bit signed integer components.</summary>
    VEC3_INT8 = ((2UL << 24) | (2UL << 16) | (3UL << 8) | 8UL),

    /// <summary>A vector of 3 16-bit unsigned integer components.</summary>
    VEC3_UINT16 = ((2UL << 24) | (1UL << 16) | (3UL << 8) | 16UL),

    /// <summary>A vector of 3 16-bit signed integer components.</summary>
    VEC3_INT16 = ((2UL << 24) | (2UL << 16) | (3UL << 8) | 16UL),

    /// <summary>A vector of 3 32-bit unsigned integer components.</summary>
    VEC3_UINT32 = ((2UL << 24) | (1UL << 16) | (3UL << 8) | 32UL),

    /// <summary>A vector of 3 32-bit signed integer components.</summary>
    VEC3_INT32 = ((2UL << 24) | (2UL << 16) | (3UL << 8) | 32UL),

    /// <summary>A vector of 3 64-bit unsigned integer components.</summary>
    VEC3_UINT64 = ((2UL << 24) | (1UL << 16) | (3UL << 8) | 64UL),

    /// <summary>A vector of 3 64-bit signed integer components.</summary>
    VEC3_INT64 = ((2UL << 24) | (2UL << 16) | (3UL << 8) | 64UL),

    /// <summary>A vector of 3 32-bit floating point components.</summary>
    VEC3_FLOAT = ((2UL << 24) | (3UL << 16) | (3UL << 8) | 32UL),

    /// <summary>A vector of 3 64-bit floating point components.</summary>
    VEC3_DOUBLE = ((2UL << 24) | (3UL << 16) | (3UL << 8) | 64UL),

    /// <summary>A vector of 4 8-bit unsigned integer components.</summary>
    VEC4_UINT8 = ((2UL << 24) | (1UL << 16) | (4UL << 8) | 8UL),

    /// <summary>A vector of 4 8-bit signed integer components.</summary>
    VEC4_INT8 = ((2UL << 24) | (2UL << 16) | (4UL << 8) | 8UL),

    /// <summary>A vector of 4 16-bit unsigned integer components.</summary>
    VEC4_UINT16 = ((2UL << 24) | (1UL << 16) | (4UL << 8) | 16UL),

    /// <summary>A vector of 4 16-bit signed integer components.</summary>
    VEC4_INT16 = ((2UL << 24) | (2UL << 16) | (4UL << 8) | 16UL),

    /// <summary>A vector of 4 32-bit unsigned integer components.</summary>
    VEC4_UINT32 = ((2UL << 24) | (1UL << 16) | (4UL << 8) | 32UL),

    /// <summary>A vector of 4 32-bit signed integer components.</summary>
    VEC4_INT32 = ((2UL << 24) | (2UL << 16) | (4UL << 8) | 32UL),

    /// <summary>A vector of 4 64-bit unsigned integer components.</summary>
    VEC4_UINT64 = ((2UL << 24) | (1UL << 16) | (4UL << 8) | 64UL),

    /// <summary>A vector of 4 64-bit signed integer components.</summary>
    VEC4_INT64 = ((2UL << 24) | (2UL << 16) | (4UL << 8) | 64UL),

    /// <summary>A vector of 4 32-bit floating point components.</summary>
    VEC4_FLOAT = ((2UL << 24) | (3UL << 16) | (4UL << 8) | 32UL),

    /// <summary>A vector of 4 64-bit floating point components.</summary>
    VEC4_DOUBLE = ((2UL << 24) | (3UL << 16) | (4UL << 8) | 64UL),

    /// <summary>A complex number of two 32-bit floating point components.</summary>
    COMPLEX_FLOAT = ((1UL << 24) | (3UL << 16) | (2UL << 8) | 32UL),

    /// <summary>A complex number of two 64-bit floating point components.</summary>
    COMPLEX_DOUBLE = ((1UL << 24) | (3UL << 16) | (2UL << 8) | 64UL),

    /// <summary>A 2x2 matrix of 32-bit floating point components, row by row.</summary>
    MATRIX2_FLOAT = ((3UL << 24) | (3UL << 16) | (4UL << 8) | 32UL),

    /// <summary>A 2x2 matrix of 64-bit floating point components, row by row.</summary>
    MATRIX2_DOUBLE = ((3UL << 24) | (3UL << 16) | (4UL << 8) | 64UL),

    /// <summary>A 3x3 matrix of 32-bit floating point components, row by row.</summary>
    MATRIX3_FLOAT = ((3UL << 24) | (3UL << 16) | (9UL << 8) | 32UL),

    /// <summary>A 3x3 matrix of 64-bit floating point components, row by row.</summary>
    MATRIX3_DOUBLE = ((3UL << 24) | (3UL << 16) | (9UL << 8) | 64UL),

    /// <summary>A 4x4 matrix of 32-bit floating point components, row by row.</summary>
    MATRIX4_FLOAT = ((3UL << 24) | (3UL << 16) | (16UL << 8) | 32UL),

    /// <summary>A 4x4 matrix of 64-bit floating point components, row by row.</summary>
    MATRIX4_DOUBLE = ((3UL << 24) | (3UL << 16) | (16UL << 8) | 64UL),

    /// <summary>A UTF-8 string: the type of a text column of a <see cref="DataFrameView"/>; not valid for an image view.</summary>
    UTF8_STRING = ((0UL << 24) | (4UL << 16) | (1UL << 8) | 8UL),
}
