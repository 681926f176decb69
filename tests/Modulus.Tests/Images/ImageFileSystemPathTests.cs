using System.Text;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.TestSupport.TarLayer;

namespace Modulus.Tests.Images;

/// <summary>
/// The merged view holds paths as a tree of names, not strings: what it answers must be what the
/// strings would say, in the order they sort, however many entries and layers there are.
/// </summary>
public class ImageFileSystemPathTests
{
    [Test]
    public void Every_path_comes_in_the_order_of_its_string_even_where_a_name_sorts_below_the_slash()
    {
        // '-', '.' and ' ' sort below '/': "/a-c" comes between "/a" and "/a/x", so a folder's
        // own path and the paths below it are not next to each other.
        var fs = Merge(Of(File("a/x", "1"), File("a-c", "2"), File("a.txt", "3"), File("a b/y", "4"), File("a/x-y", "5"),
            File("ab", "6"), Directory("a/x.d"), File("a/x.d/z", "7"), File("b", "8"), File("a/x.d-e", "9")));

        var all = Paths(fs.All);
        all.ShouldBe(all.Order(StringComparer.Ordinal).ToArray());
        all.ShouldBe(["/", "/a", "/a b", "/a b/y", "/a-c", "/a.txt", "/a/x", "/a/x-y", "/a/x.d", "/a/x.d-e", "/a/x.d/z", "/ab", "/b"]);
        Paths(fs.List(P("/a"))).ShouldBe(["/a/x", "/a/x-y", "/a/x.d", "/a/x.d-e"]);
    }

    [Test]
    public void Names_beyond_ascii_are_found_listed_and_sorted_as_their_strings()
    {
        // Latin-1 names are held a byte a char, others two: both must read back the same.
        var fs = Merge(Of(File("données/café", "1"), File("データ/ファイル.txt", "2"), File("données/cafe", "3"), Symlink("lien", "/データ")));

        Paths(fs.All).ShouldBe(["/", "/données", "/données/cafe", "/données/café", "/lien", "/データ", "/データ/ファイル.txt"]);
        Text(fs.ReadFile(P("/données/café"))).ShouldBe("1");
        Text(fs.ReadFile(P("/lien/ファイル.txt"))).ShouldBe("2");
        fs.Resolve(P("/lien/ファイル.txt")).ShouldBe(P("/データ/ファイル.txt"));
        fs.Exists(P("/données/cafè")).ShouldBeFalse();
    }

    [Test]
    public void A_view_of_thousands_of_entries_over_three_layers_finds_each_where_its_layers_put_it()
    {
        // Layer 0: 40 folders of 100 files. Layer 1: a link to folder 7, folder 3 whited out,
        // folder 5's files given another mode, a hard link. Layer 2: files written through the
        // link (they land in folder 7), and folder 9 made opaque with one file of its own.
        var lower = new List<System.Formats.Tar.TarEntry>();
        for (var d = 0; d < 40; d++)
        {
            lower.Add(Directory($"d{d:00}"));
            for (var f = 0; f < 100; f++) lower.Add(File($"d{d:00}/f{f:000}", $"{d}/{f}"));
        }
        var middle = new List<System.Formats.Tar.TarEntry> { Symlink("alias", "/d07"), Whiteout("d03"), File("d12/new", "n"), HardLink("d12/same", "d12/new") };
        for (var f = 0; f < 100; f++) middle.Add(File($"d05/f{f:000}", "changed", mode: 0b110_000_000));
        var upper = new List<System.Formats.Tar.TarEntry> { Opaque("d09"), File("d09/only", "o") };
        for (var f = 0; f < 50; f++) upper.Add(File($"alias/up{f:00}", "u"));

        var fs = Merge(Of([.. lower]), Of([.. middle]), Of([.. upper]));

        // The root, 39 folders with 100 files (folder 3 gone), folder 9 with one, the link, 2 new in
        // folder 12, 50 new in folder 7.
        var all = Paths(fs.All);
        all.Length.ShouldBe(1 + 39 + 38 * 100 + 1 + 1 + 2 + 50);
        all.ShouldBe(all.Order(StringComparer.Ordinal).ToArray());
        all.Distinct().Count().ShouldBe(all.Length);

        fs.Exists(P("/d03")).ShouldBeFalse();
        fs.Exists(P("/d03/f000")).ShouldBeFalse();
        fs.Get(P("/d04/f099")).ShouldBe(new FileSystemNode(P("/d04/f099"), NodeType.File, 0, 0, TarLayer.FileMode, 4, null, 0));
        fs.Get(P("/d05/f042"))!.Mode.ShouldBe(0b110_000_000);
        fs.Get(P("/d05/f042"))!.LayerIndex.ShouldBe(1);
        Paths(fs.List(P("/d09"))).ShouldBe(["/d09/only"]);
        fs.Get(P("/d07/up49"))!.LayerIndex.ShouldBe(2);
        fs.Exists(P("/alias/up00")).ShouldBeFalse("the file is where the link leads, not at the link's own path");
        fs.Resolve(P("/alias/up00")).ShouldBe(P("/d07/up00"));
        fs.Get(P("/alias"))!.LinkTarget.ShouldBe("/d07");
        fs.List(P("/alias")).Count().ShouldBe(150);
        Text(fs.ReadFile(P("/alias/f013"))).ShouldBe("7/13");
        Text(fs.ReadFile(P("/d12/same"))).ShouldBe("n");
        fs.Resolve(P("/d40")).ShouldBeNull();
    }

    private static ImageFileSystem Merge(params TarLayer[] layers) => ImageFileSystem.Read(layers);

    private static UnixPath P(string path) => UnixPath.Parse(path);

    private static string[] Paths(IEnumerable<FileSystemNode> nodes) => [.. nodes.Select(n => n.Path.Value)];

    private static string? Text(byte[]? content) => content is null ? null : Encoding.UTF8.GetString(content);
}
