using Modulus.Debian;

namespace Modulus.Tests.Debian;

public class ControlFormatTests
{
    private const string Packages = """
        Package: libfoo1
        Source: foo (1.2-1)
        Version: 1.2-1+b1
        Architecture: amd64
        Multi-Arch: same
        Priority: optional
        Pre-Depends: libc6 (>= 2.36)
        Depends: libbar | libbaz (>> 2~), awk:any
        Provides: foo-api (= 1.2), libfoo
        Filename: pool/main/f/foo/libfoo1_1.2-1+b1_amd64.deb
        Size: 1234
        SHA256: 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
        Description: a library
         Its long description
         .
         spans lines.

        Package: broken
        Version: not-a-version

        """;

    [Test]
    public void A_Packages_stanza_becomes_a_package_with_its_relations()
    {
        var packages = DebianPackage.ParseIndex(Packages, null);

        packages.Count.ShouldBe(1, "a stanza without a valid version is skipped");
        var foo = packages[0];
        foo.Name.ShouldBe("libfoo1");
        foo.Source.ShouldBe("foo");
        foo.Version.Text.ShouldBe("1.2-1+b1");
        foo.MultiArch.ShouldBe("same");
        foo.PreDepends.Single().Single().ShouldBe(new Relation("libc6", null, new VersionConstraint(">=", DebianVersion.Parse("2.36"))));
        foo.Depends.Count.ShouldBe(2);
        foo.Depends[0].Select(r => r.ToString()).ShouldBe(["libbar", "libbaz (>> 2~)"]);
        foo.Depends[1].Single().ArchQualifier.ShouldBe("any");
        foo.Provides.Select(p => p.ToString()).ShouldBe(["foo-api (= 1.2)", "libfoo"]);
        foo.Filename.ShouldBe("pool/main/f/foo/libfoo1_1.2-1+b1_amd64.deb");
        foo.Size.ShouldBe(1234);
        foo.Control["Description"].ShouldBe("a library\n Its long description\n .\n spans lines.");
    }

    [Test]
    public void A_paragraph_formats_back_to_the_same_text()
    {
        var paragraph = ControlParagraph.ParseAll(Packages)[0];
        ControlParagraph.ParseAll(paragraph.Format())[0].Fields.ShouldBe(paragraph.Fields);
    }

    [Test]
    public void A_Release_lists_its_files_by_SHA256()
    {
        var release = ReleaseFile.Parse("""
            Origin: Debian
            Suite: stable
            Codename: bookworm
            Date: Sat, 10 May 2025 08:52:27 UTC
            Architectures: all amd64 arm64
            Components: main contrib
            MD5Sum:
             d41d8cd98f00b204e9800998ecf8427e 0 main/binary-amd64/Packages.xz
            SHA256:
             E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 20 main/binary-amd64/Packages.xz
             aaaa 30 main/binary-arm64/Packages.gz
            """);

        release.Codename.ShouldBe("bookworm");
        release.Date.ShouldBe("Sat, 10 May 2025 08:52:27 UTC");
        release.Components.ShouldBe(["main", "contrib"]);
        release.Architectures.ShouldContain("arm64");
        var xz = release.Files["main/binary-amd64/Packages.xz"];
        xz.Size.ShouldBe(20);
        xz.Sha256.ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "the MD5Sum section is ignored and hex is lower-cased");
        release.Files.Count.ShouldBe(1, "a line whose hash is no SHA256 is ignored");
    }

    [TestCase("Valid-Until: Sat, 05 Dec 2026 02:53:00 UTC", "2026-12-05T02:53:00.0000000+00:00")]
    [TestCase("Valid-Until: Sat, 5 Dec 2026 02:53:00 UTC", "2026-12-05T02:53:00.0000000+00:00")]
    [TestCase("Valid-Until: sometime", null)]
    [TestCase("Origin: Debian", null)]
    public void Valid_until_is_read_as_UTC(string field, string? expected) =>
        (ReleaseFile.Parse("Suite: stable\n" + field + "\n").ValidUntil?.ToString("o")).ShouldBe(expected);

    [TestCase("libc6 (< 2.0)", "<=", Description = "the obsolete '<' means '<='")]
    [TestCase("libc6 (>2.0)", ">=", Description = "the obsolete '>' means '>='")]
    [TestCase("libc6 (>> 2.0) [amd64] <!nocheck>", ">>", Description = "architecture lists and build profiles are dropped")]
    public void Relation_operators_are_normalised(string text, string op) =>
        Relation.Parse(text).Constraint!.Operator.ShouldBe(op);

    [TestCase("Libc6")]
    [TestCase("libc6 (>= )")]
    [TestCase("libc6 >= 2")]
    public void Malformed_relations_are_rejected(string text) =>
        Should.Throw<FormatException>(() => Relation.Parse(text));
}
