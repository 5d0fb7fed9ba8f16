"""Each article's language is guessed from its text (py3langid), in languages beyond the
ones jusText has stopword lists for."""
from __future__ import annotations

import pytest

from corpus.cleaning.language import guess_language

TEXTS = {
    "de": "Der Stadtrat hat am Dienstagabend nach langer Debatte beschlossen, die Buslinie zum Bahnhof "
          "ab dem kommenden Jahr im Zehn-Minuten-Takt fahren zu lassen. Die Opposition kritisierte die Kosten.",
    "fr": "Le conseil municipal a décidé mardi soir, après un long débat, que la ligne de bus vers la gare "
          "circulera toutes les dix minutes à partir de l'année prochaine. L'opposition a critiqué le coût.",
    "cs": "Městská rada v úterý večer po dlouhé debatě rozhodla, že autobusová linka k nádraží bude od "
          "příštího roku jezdit každých deset minut. Opozice kritizovala náklady celého projektu.",
    "fi": "Kaupunginvaltuusto päätti tiistai-iltana pitkän keskustelun jälkeen, että bussilinja rautatieasemalle "
          "kulkee ensi vuodesta alkaen kymmenen minuutin välein. Oppositio arvosteli hankkeen kustannuksia.",
}


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_language_is_named(language):
    assert guess_language(TEXTS[language]) == language


def test_too_few_words_name_no_language():
    assert guess_language("Breaking news: 42") is None


def test_an_added_article_gets_its_language(corpus):
    result = corpus.add_bytes(("Bussilinja kulkee useammin\n\n" + TEXTS["fi"] + "\n\n" + TEXTS["fi"]).encode(),
                              source="fi.txt")
    assert corpus.article(result.article_id)["language"] == "fi"
