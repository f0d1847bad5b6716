namespace SellerDesk.Web.Resources;

/// <summary>
/// The alerts page's and the bell's strings: <c>AlertResource.resx</c> English, <c>AlertResource.ru.resx</c> Russian;
/// kept apart from <see cref="SharedResource"/> so the alerts' strings and the reports' change independently.
/// </summary>
public sealed class AlertResource;
