using BenchmarkDotNet.Running;
using Modulus.Bench;
using Modulus.Diagnostics;

// One row of bench/run.sh per command, so hyperfine can time it as a whole process against the
// peer's command; `micro` hands the rest of the arguments to BenchmarkDotNet.
const string Usage = """
    usage: Modulus.Bench layer FOLDER OUTPUT.tar.gz      write FOLDER as one layer (row 1)
           Modulus.Bench push OCI-LAYOUT REGISTRY/REPO:TAG STORE
                                                  push an image to an HTTP registry from a blob store (row 3)
           Modulus.Bench validate OCI-LAYOUT STORE        check an image against the run-image standard (row 5)
           Modulus.Bench check LAYER.tar.gz DIGEST DIFFID SIZE
                                                  read one layer (as `layer` wrote it) and check the rules (scaling row)
           Modulus.Bench micro [BenchmarkDotNet arguments] in-process benchmarks (MODULUS_BENCH_TREE = folder)
    """;

try
{
    return args switch
    {
        ["layer", var folder, var output] => Rows.Layer(folder, output),
        ["push", var layout, var target, var store] => await Rows.PushAsync(layout, target, store),
        ["validate", var layout, var store] => Rows.Validate(layout, store),
        ["check", var blob, var digest, var diffId, var size] => Rows.Check(blob, digest, diffId, long.Parse(size)),
        ["micro", .. var rest] => Micro(rest),
        _ => UsageError(),
    };
}
catch (ModulusException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

static int Micro(string[] rest)
{
    BenchmarkSwitcher.FromAssembly(typeof(Rows).Assembly).Run(rest);
    return 0;
}

static int UsageError()
{
    Console.Error.WriteLine(Usage);
    return 2;
}
