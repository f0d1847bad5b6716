namespace SellerDesk.Web.Resources;

/// <summary>
/// The account pages' strings (sign-in, first account, invitations, members, tokens, audit): <c>AccountResource.resx</c>
/// English, <c>AccountResource.ru.resx</c> Russian; kept apart from <see cref="SharedResource"/> so the report pages'
/// strings and these change independently.
/// </summary>
public sealed class AccountResource;
