using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Modulus.Verify;

/// <summary>
/// The .NET form of the verification's probe: a framework-dependent app (probe.dll and its
/// probe.runtimeconfig.json) that does what the shell and Node.js probes do. It is emitted here,
/// not compiled: a publish has no compiler to hand, and the app is a few calls. It references
/// only System.Private.CoreLib (File, Environment, Thread), and rolls forward to the newest .NET
/// the image has, so the image's own start runs it on any of its runtimes.
/// </summary>
internal static class DotnetProbe
{
    public const string AssemblyFile = "probe.dll";

    public const string RuntimeConfigFile = "probe.runtimeconfig.json";

    /// <summary>Any .NET from 8 on runs it: the probe uses nothing newer.</summary>
    public const string RuntimeConfig = """
        {"runtimeOptions":{"tfm":"net8.0","rollForward":"LatestMajor","framework":{"name":"Microsoft.NETCore.App","version":"8.0.0"}}}
        """;

    /// <summary>The probe's assembly, the same bytes for the same runtime.</summary>
    public static byte[] Assembly() => Lazy.Value;

    private static readonly Lazy<byte[]> Lazy = new(Emit);

    private static byte[] Emit()
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName("probe") { Version = new Version(1, 0, 0, 0) }, typeof(object).Assembly);
        var module = assembly.DefineDynamicModule("probe.dll");
        var type = module.DefineType("ModulusProbe", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class);
        var main = type.DefineMethod("Main", MethodAttributes.Public | MethodAttributes.Static, typeof(int), [typeof(string[])]);
        WriteMain(main.GetILGenerator());
        type.CreateType();

        var metadata = assembly.GenerateMetadata(out var il, out var fieldData);
        var pe = new ManagedPEBuilder(
            PEHeaderBuilder.CreateExecutableHeader(),
            new MetadataRootBuilder(metadata),
            il,
            mappedFieldData: fieldData,
            entryPoint: MetadataTokens.MethodDefinitionHandle(main.MetadataToken),
            deterministicIdProvider: content => new BlobContentId(Guid.Empty, 0));
        var image = new BlobBuilder();
        pe.Serialize(image);
        return image.ToArray();
    }

    /// <summary>
    /// <code>
    /// File.AppendAllText(Starts, "started\n");
    /// var status = File.ReadAllText("/proc/self/status");
    /// var uid = status.Substring(status.IndexOf("Uid:\t") + 5);
    /// uid = uid.Substring(0, uid.IndexOf('\t'));
    /// File.WriteAllText(tmp, string.Concat(["uid=", uid, " home=", HOME, " temp=", TEMP_DIR, "\n"]));
    /// File.Move(tmp, Output, true);
    /// while (true) { if (File.Exists(Crash)) { File.Delete(Crash); return 3; } Thread.Sleep(500); }
    /// </code>
    /// </summary>
    private static void WriteMain(ILGenerator il)
    {
        var file = typeof(File);
        var text = typeof(string);
        const string temporary = "/mnt/app/probe.tmp";

        il.Emit(OpCodes.Ldstr, VerifyProbe.Starts);
        il.Emit(OpCodes.Ldstr, "started\n");
        il.Emit(OpCodes.Call, file.GetMethod(nameof(File.AppendAllText), [text, text])!);

        var status = il.DeclareLocal(text);
        var uid = il.DeclareLocal(text);
        il.Emit(OpCodes.Ldstr, "/proc/self/status");
        il.Emit(OpCodes.Call, file.GetMethod(nameof(File.ReadAllText), [text])!);
        il.Emit(OpCodes.Stloc, status);
        il.Emit(OpCodes.Ldloc, status);
        il.Emit(OpCodes.Ldloc, status);
        il.Emit(OpCodes.Ldstr, "Uid:\t");
        il.Emit(OpCodes.Ldc_I4, (int)StringComparison.Ordinal);
        il.Emit(OpCodes.Callvirt, text.GetMethod(nameof(string.IndexOf), [text, typeof(StringComparison)])!);
        il.Emit(OpCodes.Ldc_I4_5);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Callvirt, text.GetMethod(nameof(string.Substring), [typeof(int)])!);
        il.Emit(OpCodes.Stloc, uid);
        il.Emit(OpCodes.Ldloc, uid);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Ldloc, uid);
        il.Emit(OpCodes.Ldc_I4_S, (sbyte)'\t');
        il.Emit(OpCodes.Callvirt, text.GetMethod(nameof(string.IndexOf), [typeof(char)])!);
        il.Emit(OpCodes.Callvirt, text.GetMethod(nameof(string.Substring), [typeof(int), typeof(int)])!);
        il.Emit(OpCodes.Stloc, uid);

        il.Emit(OpCodes.Ldstr, temporary);
        var parts = new Action[]
        {
            () => il.Emit(OpCodes.Ldstr, "uid="),
            () => il.Emit(OpCodes.Ldloc, uid),
            () => il.Emit(OpCodes.Ldstr, " home="),
            () => Variable("HOME"),
            () => il.Emit(OpCodes.Ldstr, " temp="),
            () => Variable("TEMP_DIR"),
            () => il.Emit(OpCodes.Ldstr, "\n"),
        };
        il.Emit(OpCodes.Ldc_I4, parts.Length);
        il.Emit(OpCodes.Newarr, text);
        for (var i = 0; i < parts.Length; i++)
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, i);
            parts[i]();
            il.Emit(OpCodes.Stelem_Ref);
        }
        il.Emit(OpCodes.Call, text.GetMethod(nameof(string.Concat), [typeof(string[])])!);
        il.Emit(OpCodes.Call, file.GetMethod(nameof(File.WriteAllText), [text, text])!);
        il.Emit(OpCodes.Ldstr, temporary);
        il.Emit(OpCodes.Ldstr, VerifyProbe.Output);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Call, file.GetMethod(nameof(File.Move), [text, text, typeof(bool)])!);

        var loop = il.DefineLabel();
        var wait = il.DefineLabel();
        il.MarkLabel(loop);
        il.Emit(OpCodes.Ldstr, VerifyProbe.CrashRequest);
        il.Emit(OpCodes.Call, file.GetMethod(nameof(File.Exists), [text])!);
        il.Emit(OpCodes.Brfalse, wait);
        il.Emit(OpCodes.Ldstr, VerifyProbe.CrashRequest);
        il.Emit(OpCodes.Call, file.GetMethod(nameof(File.Delete), [text])!);
        il.Emit(OpCodes.Ldc_I4_3);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(wait);
        il.Emit(OpCodes.Ldc_I4, 500);
        il.Emit(OpCodes.Call, typeof(Thread).GetMethod(nameof(Thread.Sleep), [typeof(int)])!);
        il.Emit(OpCodes.Br, loop);

        void Variable(string name)
        {
            il.Emit(OpCodes.Ldstr, name);
            il.Emit(OpCodes.Call, typeof(Environment).GetMethod(nameof(Environment.GetEnvironmentVariable), [text])!);
        }
    }
}
