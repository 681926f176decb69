using Modulus.Debian;

namespace Modulus.Tests.Debian;

public class UpdateAlternativesTests
{
    [Test]
    public void Literal_install_calls_are_found_with_their_slaves_and_variable_ones_skipped()
    {
        const string postinst = """
            #!/bin/sh
            set -e
            if [ "$1" = configure ]; then
              update-alternatives --quiet --install /usr/bin/awk awk /usr/bin/mawk 5 \
                --slave /usr/share/man/man1/awk.1.gz awk.1.gz /usr/share/man/man1/mawk.1.gz \
                --slave /usr/bin/nawk nawk /usr/bin/mawk
              update-alternatives --install /usr/bin/editor editor "$EDITOR" 10
              update-alternatives --install /usr/bin/pager pager /bin/more 50; echo done
            fi
            """;

        var found = UpdateAlternatives.FindAlternatives(postinst);

        found.Select(a => $"{a.Link} {a.Name} {a.Path} {a.Priority}").ShouldBe(["/usr/bin/awk awk /usr/bin/mawk 5", "/usr/bin/pager pager /bin/more 50"]);
        found[0].Slaves.ShouldBe([("/usr/share/man/man1/awk.1.gz", "awk.1.gz", "/usr/share/man/man1/mawk.1.gz"), ("/usr/bin/nawk", "nawk", "/usr/bin/mawk")]);
    }
}
