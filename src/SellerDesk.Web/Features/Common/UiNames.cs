using Microsoft.Extensions.Localization;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Common;

/// <summary>Display names of marketplace codes, channel codes and verdicts; unknown codes are shown as they are.</summary>
public static class UiNames
{
    public static string Marketplace(IStringLocalizer localizer, string code)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        var name = localizer["Marketplace." + code];
        return name.ResourceNotFound ? code : name.Value;
    }

    /// <summary>The workspace's name for the code, else the app's own (organic, the sandbox's channels), else the code.</summary>
    public static string Channel(IStringLocalizer localizer, string code, IReadOnlyDictionary<string, string>? workspaceNames = null)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        if (workspaceNames is not null && workspaceNames.TryGetValue(code, out var own))
        {
            return own;
        }

        var name = localizer["Channel." + code];
        return name.ResourceNotFound ? code : name.Value;
    }

    public static string Verdict(IStringLocalizer localizer, ChannelVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        return localizer["Verdict." + verdict];
    }

    /// <summary>The verdict as the API spells it (<c>pays_back</c>), for tests and data attributes.</summary>
    public static string VerdictCode(ChannelVerdict verdict) => verdict switch
    {
        ChannelVerdict.Profitable => "profitable",
        ChannelVerdict.PaysBack => "pays_back",
        ChannelVerdict.Cut => "cut",
        _ => "no_new_customers",
    };
}
