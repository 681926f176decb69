using Modulus.Diagnostics;
using Modulus.Layers;

namespace Modulus.Tests.Layers;

public class UnixPathTests
{
    [TestCase("/", "/", Description = "the root")]
    [TestCase("/usr/bin/env", "/usr/bin/env", Description = "already normal")]
    [TestCase("/usr//bin/", "/usr/bin", Description = "empty segments and a trailing slash vanish")]
    [TestCase("/usr/./bin/.", "/usr/bin", Description = "'.' segments vanish")]
    [TestCase("/usr/lib/../bin", "/usr/bin", Description = "'..' is resolved lexically")]
    [TestCase("/a/..", "/", Description = "'..' back to the root")]
    [TestCase("/opt/café", "/opt/café", Description = "non-ASCII is kept")]
    public void Parse_normalizes(string input, string expected)
    {
        UnixPath.Parse(input).Value.ShouldBe(expected);
    }

    [TestCase("", Description = "empty")]
    [TestCase("usr/bin", Description = "relative")]
    [TestCase("./usr", Description = "relative with a dot")]
    [TestCase("/..", Description = "'..' above the root")]
    [TestCase("/a/../../etc", Description = "'..' above the root after a segment")]
    [TestCase("/a\0b", Description = "a NUL")]
    [TestCase("C:\\app", Description = "a Windows path")]
    public void Parse_refuses_with_MOD5003(string input)
    {
        var error = Should.Throw<ModulusException>(() => UnixPath.Parse(input, "Destination"));

        error.Code.ShouldBe("MOD5003");
        error.Message.ShouldContain("Destination");
    }

    [TestCase("usr/bin/env", "/usr/bin/env", Description = "a plain name")]
    [TestCase("./usr/bin/", "/usr/bin", Description = "a './' prefix and a directory slash")]
    [TestCase("/etc/passwd", "/etc/passwd", Description = "a leading slash is dropped")]
    [TestCase(".", "/", Description = "the root entry")]
    [TestCase("./", "/", Description = "the root entry with a slash")]
    [TestCase("a/../b", "/b", Description = "'..' inside the archive")]
    public void TryFromTarName_normalizes(string name, string expected)
    {
        UnixPath.TryFromTarName(name, out var path).ShouldBeTrue();
        path.Value.ShouldBe(expected);
    }

    [TestCase("../etc/passwd", Description = "climbs out at once")]
    [TestCase("a/../../etc", Description = "climbs out after a segment")]
    public void TryFromTarName_refuses_names_that_leave_the_root(string name)
    {
        UnixPath.TryFromTarName(name, out _).ShouldBeFalse();
    }

    [Test]
    public void Parents_names_and_tar_names()
    {
        var path = UnixPath.Parse("/usr/share/doc");

        path.Parent.ShouldBe(UnixPath.Parse("/usr/share"));
        path.Name.ShouldBe("doc");
        path.TarName.ShouldBe("usr/share/doc");
        path.Ancestors().Select(p => p.Value).ShouldBe(["/usr/share", "/usr", "/"]);
        UnixPath.Parse("/usr").Parent.ShouldBe(UnixPath.Root);
        UnixPath.Root.Parent.ShouldBeNull();
    }

    [Test]
    public void The_default_value_is_the_root_and_equals_it()
    {
        default(UnixPath).ShouldBe(UnixPath.Root);
        default(UnixPath).GetHashCode().ShouldBe(UnixPath.Root.GetHashCode());
    }

    [Test]
    public void Ordering_is_ordinal_and_puts_parents_first()
    {
        string[] paths = ["/b", "/a/b", "/a-b", "/a", "/B"];

        paths.Select(p => UnixPath.Parse(p)).Order().Select(p => p.Value).ShouldBe(["/B", "/a", "/a-b", "/a/b", "/b"]);
    }
}
