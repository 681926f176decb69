namespace Modulus.Contract;

/// <summary>Which standard an image follows, and so what is generated into it and validated.</summary>
public enum ImageKind
{
    /// <summary>An image with no Modulus standard: nothing is generated or validated.</summary>
    Plain,

    /// <summary>A run image: the mop user, the /mnt volume, start, supervisord, my_init and notifications.</summary>
    Run,

    /// <summary>A build image: the mop user, the /mnt volume with input and output, build, and my_init as PID 1.</summary>
    Build,
}
