using System.Runtime.InteropServices;
using System.Text;
using Modulus.Layers;

namespace Modulus.Images;

/// <summary>
/// Where a path's node comes from: the entry at <see cref="Ordinal"/> of layer <see cref="Layer"/>,
/// or, when <see cref="Ordinal"/> is <see cref="ImpliedOrdinal"/>, a folder that layer implied.
/// </summary>
internal readonly record struct NodeRef(int Layer, int Ordinal)
{
    public const int ImpliedOrdinal = -1;

    public bool IsImplied => Ordinal == ImpliedOrdinal;
}

/// <summary>
/// The paths of a merged view and the node at each, held as a tree of names: a path is a number
/// (its id) whose parent's id and own name are stored, so "/usr/lib/x86_64-linux-gnu/libc.so.6"
/// costs its last name, not a string of the whole path per entry. At a million entries whole
/// paths as strings were half of the view's memory. Ids are never taken back: a removed node
/// leaves its name for the next node at that path. Not safe for concurrent writes; a view is
/// written only while it is built, and a grown view copies the table.
/// </summary>
internal sealed class NodeTable
{
    public const int RootId = 0;

    /// <summary>Names are kept in byte arrays of this length: 64 KiB, under the large object heap's 85 000 bytes.</summary>
    private const int NameChunk = 64 * 1024;

    /// <summary>Names this long or shorter are made into chars on the stack when they must be.</summary>
    private const int StackName = 256;

    /// <summary>Per-id arrays of this length: 16 KiB of ints, 32 KiB of node references.</summary>
    private const int IdChunk = 4096;

    private const int NoNode = int.MinValue;

    private readonly List<int[]> _parents;
    private readonly List<int[]> _nameStarts;
    private readonly List<int[]> _nameLengths;
    private readonly List<NodeRef[]> _nodes;
    /// <summary>
    /// Names as bytes: one a char where every char of the name is below 256 (Latin-1: nearly every
    /// name), which halves what names take; else two a char (UTF-16), told by a negative length.
    /// </summary>
    private readonly List<byte[]> _names;
    private int _nameEnd;

    /// <summary>Open addressing, linear probing: id + 1 of the path hashed there, 0 for none.</summary>
    private int[] _slots;

    private NodeTable(int slots)
    {
        _parents = [];
        _nameStarts = [];
        _nameLengths = [];
        _nodes = [];
        _names = [];
        _slots = new int[slots];
    }

    public NodeTable() : this(1 << 10)
    {
        AddId(-1, []); // the root: no parent, no name
    }

    /// <summary>A copy to grow, leaving this table as it is.</summary>
    public NodeTable(NodeTable other)
    {
        _parents = other._parents.Select(a => (int[])a.Clone()).ToList();
        _nameStarts = other._nameStarts.Select(a => (int[])a.Clone()).ToList();
        _nameLengths = other._nameLengths.Select(a => (int[])a.Clone()).ToList();
        _nodes = other._nodes.Select(a => (NodeRef[])a.Clone()).ToList();
        _names = other._names.Select(a => (byte[])a.Clone()).ToList();
        _nameEnd = other._nameEnd;
        _slots = (int[])other._slots.Clone();
        Ids = other.Ids;
        Count = other.Count;
    }

    /// <summary>How many ids (paths named so far, with a node or without).</summary>
    public int Ids { get; private set; }

    /// <summary>How many paths hold a node.</summary>
    public int Count { get; private set; }

    public int ParentOf(int id) => _parents[id / IdChunk][id % IdChunk];

    /// <summary>How many chars the name of <paramref name="id"/> has.</summary>
    public int NameLength(int id) => _nameLengths[id / IdChunk][id % IdChunk] is var length && length < 0 ? ~length : length;

    /// <summary>The name of <paramref name="id"/> as chars, in <paramref name="buffer"/> when it is held as Latin-1.</summary>
    public ReadOnlySpan<char> NameOf(int id, Span<char> buffer)
    {
        var bytes = Stored(id, out var wide);
        if (wide) return MemoryMarshal.Cast<byte, char>(bytes);
        var chars = buffer[..bytes.Length];
        Encoding.Latin1.GetChars(bytes, chars);
        return chars;
    }

    /// <summary>A name never spans two arrays: <see cref="AddId"/> starts the next one for a name that does not fit.</summary>
    private ReadOnlySpan<byte> Stored(int id, out bool wide)
    {
        var start = _nameStarts[id / IdChunk][id % IdChunk];
        var length = _nameLengths[id / IdChunk][id % IdChunk];
        wide = length < 0;
        return _names[start / NameChunk].AsSpan(start % NameChunk, wide ? 2 * ~length : length);
    }

    private bool NameEquals(int id, ReadOnlySpan<char> name)
    {
        var bytes = Stored(id, out var wide);
        if (wide) return MemoryMarshal.Cast<byte, char>(bytes).SequenceEqual(name);
        if (bytes.Length != name.Length) return false;
        for (var i = 0; i < bytes.Length; i++)
            if (bytes[i] != name[i]) return false;
        return true;
    }

    /// <summary>The id of <paramref name="name"/> inside <paramref name="parent"/>, or -1 when no path has it.</summary>
    public int Find(int parent, ReadOnlySpan<char> name)
    {
        var mask = _slots.Length - 1;
        for (var slot = Hash(parent, name) & mask; _slots[slot] != 0; slot = (slot + 1) & mask)
        {
            var id = _slots[slot] - 1;
            if (ParentOf(id) == parent && NameEquals(id, name)) return id;
        }
        return -1;
    }

    /// <summary>The id of <paramref name="name"/> inside <paramref name="parent"/>, named now if it was not.</summary>
    public int Intern(int parent, ReadOnlySpan<char> name)
    {
        var found = Find(parent, name);
        if (found >= 0) return found;
        if ((long)(Ids + 1) * 4 > (long)_slots.Length * 3) Rehash(Ids + 1);
        var id = AddId(parent, name);
        Place(id, Hash(parent, name));
        return id;
    }

    /// <summary>The id of <paramref name="path"/>, or -1 when no path has it.</summary>
    public int Find(UnixPath path)
    {
        var id = RootId;
        foreach (var range in Segments(path.Value))
            if ((id = Find(id, path.Value.AsSpan()[range])) < 0) return -1;
        return id;
    }

    /// <summary>
    /// The id of <paramref name="path"/>, its names named now where they were not. A tar lists a
    /// folder's entries one after another, so the folder of the last path asked for is kept: a path
    /// in the same folder costs one lookup, not one per folder above it.
    /// </summary>
    public int Intern(UnixPath path)
    {
        var value = path.Value;
        var slash = value.LastIndexOf('/');
        if (slash > 0 && _lastFolder is { } folder && slash == folder.Length && value.AsSpan(0, slash).SequenceEqual(folder))
            return Intern(_lastFolderId, value.AsSpan(slash + 1));
        var (id, parent) = (RootId, RootId);
        foreach (var range in Segments(value)) (parent, id) = (id, Intern(id, value.AsSpan()[range]));
        if (slash > 0) (_lastFolder, _lastFolderId) = (value[..slash], parent);
        return id;
    }

    /// <summary>The folder of the last path <see cref="Intern(UnixPath)"/> named, and its id.</summary>
    private string? _lastFolder;
    private int _lastFolderId;

    public UnixPath PathOf(int id)
    {
        if (id == RootId) return UnixPath.Root;
        var length = 0;
        for (var at = id; at != RootId; at = ParentOf(at)) length += NameLength(at) + 1;
        // Written back to front: the last name first, as the parents are met.
        var value = string.Create(length, (Table: this, Id: id), static (span, state) =>
        {
            var end = span.Length;
            for (var at = state.Id; at != RootId; at = state.Table.ParentOf(at))
            {
                end -= state.Table.NameLength(at);
                state.Table.CopyName(at, span[end..]);
                span[--end] = '/';
            }
        });
        return UnixPath.FromNormalized(value);
    }

    /// <summary>The path of <paramref name="id"/>, whose parent's path is <paramref name="parent"/>: one string made, no walk.</summary>
    public UnixPath PathBelow(UnixPath parent, int id)
    {
        var folder = parent.IsRoot ? string.Empty : parent.Value;
        var value = string.Create(folder.Length + 1 + NameLength(id), (Table: this, Id: id, Folder: folder), static (span, state) =>
        {
            state.Folder.CopyTo(span);
            span[state.Folder.Length] = '/';
            state.Table.CopyName(state.Id, span[(state.Folder.Length + 1)..]);
        });
        return UnixPath.FromNormalized(value);
    }

    /// <summary>Writes the name of <paramref name="id"/> at the start of <paramref name="destination"/>.</summary>
    private void CopyName(int id, Span<char> destination)
    {
        var bytes = Stored(id, out var wide);
        if (wide) MemoryMarshal.Cast<byte, char>(bytes).CopyTo(destination);
        else Encoding.Latin1.GetChars(bytes, destination);
    }

    public bool TryGetValue(int id, out NodeRef node)
    {
        node = id >= 0 ? _nodes[id / IdChunk][id % IdChunk] : new NodeRef(NoNode, 0);
        return node.Layer != NoNode;
    }

    public bool TryGetValue(UnixPath path, out NodeRef node) => TryGetValue(Find(path), out node);

    public bool ContainsKey(UnixPath path) => TryGetValue(path, out _);

    public NodeRef this[int id] => TryGetValue(id, out var node) ? node : throw new KeyNotFoundException($"path id {id}");

    public NodeRef this[UnixPath path]
    {
        get => TryGetValue(path, out var node) ? node : throw new KeyNotFoundException(path.Value);
        set => Set(Intern(path), value);
    }

    public void Set(int id, NodeRef node)
    {
        ref var slot = ref _nodes[id / IdChunk][id % IdChunk];
        if (slot.Layer == NoNode) Count++;
        slot = node;
    }

    public bool Remove(UnixPath path) => Remove(Find(path));

    public bool Remove(int id)
    {
        if (!TryGetValue(id, out _)) return false;
        _nodes[id / IdChunk][id % IdChunk] = new NodeRef(NoNode, 0);
        Count--;
        return true;
    }

    /// <summary>The ids that hold a node.</summary>
    public IEnumerable<int> NodeIds()
    {
        for (var id = 0; id < Ids; id++)
            if (TryGetValue(id, out _)) yield return id;
    }

    /// <summary>
    /// The ids that hold a node, in the order of their paths' strings (ordinal), the root first.
    /// Made from the tree, each folder's children sorted by name, never by comparing whole paths
    /// (which would mean making them). A folder's own path and the paths below it are not always
    /// next to each other: "/a" &lt; "/a-c" &lt; "/a/x", as the strings are. So a folder's children are
    /// sorted as points (their names) and blocks (their names and '/', standing for what is below).
    /// </summary>
    public int[] SortedNodeIds()
    {
        var first = new int[Ids];
        var next = new int[Ids];
        first.AsSpan().Fill(-1);
        // Highest id first, so each folder's list comes out in the order the ids were named.
        for (var id = Ids - 1; id > RootId; id--)
        {
            if (!TryGetValue(id, out _)) continue;
            var parent = ParentOf(id);
            next[id] = first[parent];
            first[parent] = id;
        }
        var sorted = new int[Count];
        var count = 0;
        sorted[count++] = RootId;
        var items = new List<(int Id, bool Below)>();
        var pending = new Stack<(int Id, bool Below)>();
        pending.Push((RootId, true));
        while (pending.TryPop(out var item))
        {
            if (!item.Below)
            {
                sorted[count++] = item.Id;
                continue;
            }
            items.Clear();
            for (var child = first[item.Id]; child >= 0; child = next[child])
            {
                items.Add((child, false));
                if (first[child] >= 0) items.Add((child, true));
            }
            items.Sort(CompareItems);
            for (var i = items.Count - 1; i >= 0; i--) pending.Push(items[i]);
        }
        // Every node lies below a folder that holds one (a folder's removal removes what is below it).
        System.Diagnostics.Debug.Assert(count == Count);
        return count == Count ? sorted : sorted[..count];
    }

    /// <summary>Siblings' names as points ("a") and blocks ("a/"), ordinal, a shorter string first.</summary>
    private int CompareItems((int Id, bool Below) a, (int Id, bool Below) b)
    {
        var (lengthA, lengthB) = (NameLength(a.Id), NameLength(b.Id));
        var nameA = NameOf(a.Id, lengthA <= StackName ? stackalloc char[StackName] : new char[lengthA]);
        var nameB = NameOf(b.Id, lengthB <= StackName ? stackalloc char[StackName] : new char[lengthB]);
        var common = Math.Min(nameA.Length, nameB.Length);
        var order = nameA[..common].SequenceCompareTo(nameB[..common]);
        if (order != 0) return order;
        static int Next(ReadOnlySpan<char> name, bool below, int at) => at < name.Length ? name[at] : below ? '/' : -1;
        return Next(nameA, a.Below, common).CompareTo(Next(nameB, b.Below, common));
    }

    private int AddId(int parent, ReadOnlySpan<char> name)
    {
        var id = Ids;
        if (id % IdChunk == 0)
        {
            _parents.Add(new int[IdChunk]);
            _nameStarts.Add(new int[IdChunk]);
            _nameLengths.Add(new int[IdChunk]);
            var nodes = new NodeRef[IdChunk];
            nodes.AsSpan().Fill(new NodeRef(NoNode, 0));
            _nodes.Add(nodes);
        }
        var wide = name.ContainsAnyExceptInRange('\0', '\u00FF');
        var bytes = wide ? 2 * name.Length : name.Length;
        // UTF-16 names start at an even offset, to be read as chars where they lie.
        if (wide) _nameEnd += _nameEnd & 1;
        // A name that does not fit where the last one ended starts the next array (one longer than
        // an array gets one of its own, which it fills); starts count in whole arrays of NameChunk.
        if (_names.Count == 0 || _nameEnd + bytes > _names.Count * NameChunk || bytes > NameChunk)
        {
            _nameEnd = _names.Count * NameChunk;
            _names.Add(new byte[Math.Max(NameChunk, bytes)]);
        }
        var destination = _names[^1].AsSpan(_nameEnd % NameChunk, bytes);
        if (wide) MemoryMarshal.AsBytes(name).CopyTo(destination);
        else Encoding.Latin1.GetBytes(name, destination);
        _parents[id / IdChunk][id % IdChunk] = parent;
        _nameStarts[id / IdChunk][id % IdChunk] = _nameEnd;
        _nameLengths[id / IdChunk][id % IdChunk] = wide ? ~name.Length : name.Length;
        _nameEnd = bytes > NameChunk ? _names.Count * NameChunk : _nameEnd + bytes;
        Ids++;
        return id;
    }

    private void Place(int id, int hash)
    {
        var mask = _slots.Length - 1;
        var slot = hash & mask;
        while (_slots[slot] != 0) slot = (slot + 1) & mask;
        _slots[slot] = id + 1;
    }

    private void Rehash(int ids)
    {
        var length = _slots.Length;
        while ((long)ids * 4 > (long)length * 3) length *= 2;
        _slots = new int[length];
        Span<char> buffer = stackalloc char[StackName];
        for (var id = 1; id < Ids; id++)
        {
            var chars = NameLength(id);
            Place(id, Hash(ParentOf(id), NameOf(id, chars <= StackName ? buffer : new char[chars])));
        }
    }

    private static int Hash(int parent, ReadOnlySpan<char> name) =>
        HashCode.Combine(parent, string.GetHashCode(name, StringComparison.Ordinal));

    /// <summary>The ranges of a normalized path's names ("/a/b": "a", "b"; the root: none).</summary>
    private static IEnumerable<Range> Segments(string value)
    {
        var start = 1;
        while (start < value.Length)
        {
            var end = value.IndexOf('/', start);
            if (end < 0) end = value.Length;
            yield return start..end;
            start = end + 1;
        }
    }
}
