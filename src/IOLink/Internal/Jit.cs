using System.Runtime.CompilerServices;

namespace IOLink.Internal;

/// <summary>How the copy and conversion kernels are compiled, so that their first call runs optimized code.</summary>
internal static class Jit
{
    /// <summary>
    /// The kernels' <see cref="MethodImplAttribute"/> options. In the IL assemblies of the NuGet packages they are
    /// jitted fully optimized at their first call (tier-0 code runs a kernel's first call several times slower, and
    /// tiering replaces it only once the process has been quiet for a while). In the ReadyToRun builds (the Python
    /// wheel and the tool, published with <c>PublishReadyToRun</c> for one platform, with the instruction sets they
    /// dispatch on) they are precompiled instead: AggressiveOptimization would keep crossgen from compiling them and
    /// leave every process milliseconds of jitting on its first copy. A machine without those instruction sets
    /// rejects the precompiled code and jits it.
    /// </summary>
#if READYTORUN
    public const MethodImplOptions Kernel = 0;
#else
    public const MethodImplOptions Kernel = MethodImplOptions.AggressiveOptimization;
#endif
}
