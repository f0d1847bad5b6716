using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Tests.Connectors.Common;

/// <summary>The shared sender's English failures said again in Russian with the same figures.</summary>
public sealed class SenderTextsTests
{
    [Theory]
    [InlineData(ConnectorFailure.Unavailable, "Ozon gave no answer within 100 s three times in a row; the pull will retry at the next run",
        "Ozon 3 раза подряд: нет ответа за 100 с; загрузка повторится при следующем запуске")]
    [InlineData(ConnectorFailure.Unavailable, "Yandex Market failed twice in a row (last: network error: Connection refused); the pull will retry at the next run",
        "Yandex Market: сбой 2 раза подряд (последний: ошибка сети: Connection refused); загрузка повторится при следующем запуске")]
    [InlineData(ConnectorFailure.Unavailable, "Wildberries answered 503 once in a row; the pull will retry at the next run",
        "Wildberries 1 раз подряд ответил 503; загрузка повторится при следующем запуске")]
    [InlineData(ConnectorFailure.Throttled, "Wildberries asks to wait 45 s before the next request; the next scheduled run will continue",
        "Wildberries просит подождать 45 с до следующего запроса; загрузку продолжит следующий запуск по расписанию")]
    [InlineData(ConnectorFailure.BadResponse, "Ozon refused the request with HTTP 400: {\"code\":3}",
        "Ozon отклонил запрос с HTTP 400: {\"code\":3}")]
    public void A_sender_sentence_is_said_again_in_Russian_with_the_same_figures(ConnectorFailure failure, string english, string russian)
    {
        var localized = SenderTexts.Localize(new ConnectorException(failure, english));

        localized.Failure.Should().Be(failure);
        localized.Text.Should().Be(new LocalText(english, russian));
    }

    [Fact]
    public void A_sentence_it_does_not_know_gets_a_plain_Russian_one_quoting_the_English_and_a_translated_failure_is_left_alone()
    {
        var unknown = SenderTexts.Localize(new ConnectorException(ConnectorFailure.Unavailable, "something new happened"));
        var already = new ConnectorException(ConnectorFailure.Throttled, new LocalText("slow down", "помедленнее"));

        unknown.Text.Ru.Should().Be("маркетплейс недоступен; загрузка повторится при следующем запуске (something new happened)");
        SenderTexts.Localize(already).Should().BeSameAs(already);
    }
}
