using System.Resources;

[assembly: NeutralResourcesLanguage("en")]

namespace SellerDesk.Web.Resources;

/// <summary>
/// The browser UI's strings: <c>SharedResource.resx</c> holds English (the neutral language),
/// <c>SharedResource.ru.resx</c> Russian. Components read them through <c>IStringLocalizer&lt;SharedResource&gt;</c>.
/// </summary>
public sealed class SharedResource;
