namespace IOLink;

/// <summary>A node of a metadata tree: a name, an optional value and named children. The library carries it, never reads it.</summary>
public sealed class MetadataNode
{
    private readonly List<MetadataNode> _children = [];

    /// <summary>Creates a node.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains '/'.</exception>
    public MetadataNode(string name, object? value = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Metadata node name '{name}' contains '/', which separates path parts; choose a name without it.", nameof(name));
        }

        Name = name;
        Value = value;
    }

    /// <summary>The node's name, unique among its siblings.</summary>
    public string Name { get; }

    /// <summary>The node's value, if any.</summary>
    public object? Value { get; set; }

    /// <summary>The children, in insertion order.</summary>
    public IReadOnlyList<MetadataNode> Children => _children;

    /// <summary>Adds a child, replacing any child of the same name, and returns it.</summary>
    public MetadataNode Add(MetadataNode child)
    {
        ArgumentNullException.ThrowIfNull(child);
        _children.RemoveAll(c => c.Name == child.Name);
        _children.Add(child);
        return child;
    }

    /// <summary>Adds or replaces a child holding <paramref name="value"/> and returns it.</summary>
    public MetadataNode Add(string name, object? value) => Add(new MetadataNode(name, value));

    /// <summary>The descendant at a '/'-separated path such as "acquisition/voltage", or null.</summary>
    public MetadataNode? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var node = this;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node._children.Find(c => c.Name == part);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>A deep copy of the tree (values are copied by reference).</summary>
    public MetadataNode Clone()
    {
        var copy = new MetadataNode(Name, Value);
        foreach (var c in _children)
        {
            copy._children.Add(c.Clone());
        }

        return copy;
    }

    /// <inheritdoc/>
    public override string ToString() => Value is null ? Name : $"{Name} = {Value}";
}
