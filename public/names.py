"""A record's names in two languages, in the order the page's language asks for: used by the
templates' `{% name %}` tag and by the filter form's options."""

from django.utils import translation

CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_season(number: int) -> str:
    numeral = CHINESE_NUMERALS[number - 1] if 1 <= number <= 10 else str(number)
    return f"第{numeral}季"


def bilingual(record) -> tuple[str, str]:
    """(English name, Chinese name) of a work, theme, place, organisation or initiative;
    either may be empty. A work's season belongs to its name in both languages: "Haihun
    Line (Season 1)", and 第二季 after a Chinese title unless the title names its season."""
    if hasattr(record, "title_original"):
        english, chinese = record.title, record.title_original
        season = getattr(record, "season", None)
        if season:
            if english:
                english = f"{english} (Season {season})"
            if chinese and "季" not in chinese:
                chinese = f"{chinese} {chinese_season(season)}"
        return english, chinese
    return getattr(record, "name", ""), getattr(record, "name_original", "")


def in_page_order(record) -> tuple[tuple[str, str], tuple[str, str]]:
    """((name, lang), (other name, lang)): the page's language first. Either name may be
    empty; the first is then the other language's, which the caller marks as a fallback."""
    english, chinese = bilingual(record)
    if (translation.get_language() or "").startswith("zh"):
        first, second = (chinese, "zh-Hans"), (english, "en")
    else:
        first, second = (english, "en"), (chinese, "zh-Hans")
    if not first[0]:
        return second, ("", "")
    return first, second


def page_lang() -> str:
    return "zh-Hans" if (translation.get_language() or "").startswith("zh") else "en"


def as_text(record) -> str:
    """Both names as plain text, the page's language first: "宁波 · Ningbo"."""
    (first, _lang), (second, _other) = in_page_order(record)
    return f"{first} · {second}" if second else first
