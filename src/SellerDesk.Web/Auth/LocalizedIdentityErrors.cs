using System.Globalization;
using Microsoft.AspNetCore.Identity;

namespace SellerDesk.Web.Auth;

/// <summary>Identity's messages the sign-in, password and invitation forms can show, in English and Russian.</summary>
internal sealed class LocalizedIdentityErrors : IdentityErrorDescriber
{
    private static bool Russian => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ru";

    private static IdentityError Error(string code, string en, string ru) => new() { Code = code, Description = Russian ? ru : en };

    public override IdentityError PasswordTooShort(int length) => Error(
        nameof(PasswordTooShort),
        $"The password needs at least {length} characters.",
        $"Пароль должен быть не короче {length} символов.");

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(
        nameof(PasswordRequiresUniqueChars),
        $"The password needs at least {uniqueChars} different characters.",
        $"В пароле должно быть не меньше {uniqueChars} разных символов.");

    public override IdentityError PasswordMismatch() => Error(
        nameof(PasswordMismatch), "The current password is not right.", "Текущий пароль указан неверно.");

    public override IdentityError DuplicateEmail(string email) => Error(
        nameof(DuplicateEmail),
        $"There is already an account with the e-mail {email}: sign in with it instead.",
        $"Учётная запись с адресом {email} уже есть: войдите с ним.");

    public override IdentityError DuplicateUserName(string userName) => Error(
        nameof(DuplicateUserName),
        $"There is already an account with the e-mail {userName}: sign in with it instead.",
        $"Учётная запись с адресом {userName} уже есть: войдите с ним.");

    public override IdentityError InvalidEmail(string? email) => Error(
        nameof(InvalidEmail), $"'{email}' is not an e-mail address.", $"«{email}» — не адрес электронной почты.");

    public override IdentityError InvalidUserName(string? userName) => Error(
        nameof(InvalidUserName), $"'{userName}' is not an e-mail address.", $"«{userName}» — не адрес электронной почты.");

    public override IdentityError ConcurrencyFailure() => Error(
        nameof(ConcurrencyFailure), "The account was changed meanwhile; try again.", "Учётную запись только что изменили; попробуйте ещё раз.");

    public override IdentityError DefaultError() => Error(
        nameof(DefaultError), "The account could not be saved; try again.", "Не удалось сохранить учётную запись; попробуйте ещё раз.");
}
