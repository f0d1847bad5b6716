namespace SellerDesk.Web.Resources;

/// <summary>
/// Strings of the what-if page and the concentration stress (issue 13): <c>ScenarioResource.resx</c> English,
/// <c>ScenarioResource.ru.resx</c> Russian; apart from <see cref="SharedResource"/> so features built at the same time
/// do not edit the same file.
/// </summary>
public sealed class ScenarioResource;
