using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.Net.Http.Headers;

namespace SellerDesk.Web.Infrastructure;

/// <summary>
/// Serves Blazor's browser script at /_framework/blazor.web.js. The .NET 10 pack that carries it is missing from
/// the registry here, so the build embeds the .NET 9 assembly that carries it as a manifest resource and this reads
/// it out once (docs/decisions/0002-blazor-script.md).
/// </summary>
internal static class BlazorScript
{
    private const string CarrierResource = "BlazorScriptCarrier.dll";
    private const string ScriptResource = "_framework/blazor.web.js";

    private static readonly Lazy<byte[]> Script = new(Extract);

    public static byte[] Content => Script.Value;

    public static WebApplication MapBlazorScript(this WebApplication app)
    {
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Content))[..16] + "\"");
        app.MapGet("/_framework/blazor.web.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(Content, "text/javascript", entityTag: etag);
        }).AllowAnonymous();
        return app;
    }

    private static byte[] Extract()
    {
        using var carrier = typeof(BlazorScript).Assembly.GetManifestResourceStream(CarrierResource)
            ?? throw new InvalidOperationException($"The build did not embed {CarrierResource}.");
        using var pe = new PEReader(carrier);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!metadata.StringComparer.Equals(resource.Name, ScriptResource))
            {
                continue;
            }

            var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
            var reader = pe.GetSectionData(directory.RelativeVirtualAddress).GetReader();
            reader.Offset = checked((int)resource.Offset);
            var length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }

        throw new InvalidOperationException($"{ScriptResource} was not found in the embedded carrier assembly.");
    }
}
