"""Articles naming places the seed gazetteer does not know (Rawalpindi, in English and in
Urdu), imported as an editor's files would be: what re-tagging and the names-to-add queue
are tested on."""

from pathlib import Path

from django.core.management import call_command

from articles.models import Article

# (file name, front matter, body): three English articles name Rawalpindi (one of them a
# draft), two Urdu ones spell it راولپنڈی, and one names neither.
ARTICLES = [
    (
        "garrison.md",
        {"title": "Army chief meets commanders in Rawalpindi", "source": "Dawn"},
        "General Asim Munir met corps commanders at the General Headquarters in Rawalpindi "
        "on Tuesday.\n\nRawalpindi's garrison has hosted such meetings since 1947, and Sher "
        "Zaman Market stayed open.",
    ),
    (
        "protest.md",
        {"title": "Supporters gather outside Adiala jail", "source": "The Express Tribune"},
        "Supporters of Imran Khan gathered outside Adiala Jail in Rawalpindi and marched "
        "towards Islamabad.",
    ),
    (
        "traders.md",
        {"title": "Traders wait at the border", "source": "Dawn", "status": "draft"},
        "Traders from Rawalpindi waited at Torkham for a third day, Sher Zaman Market said.",
    ),
    (
        "khost.md",
        {"title": "Markets reopen in Khost", "source": "Pajhwok"},
        "Markets reopened in Khost after the clashes; traders came from Khowst district.",
    ),
    (
        "urdu-garrison.md",
        {"title": "راولپنڈی میں کور کمانڈرز کا اجلاس", "source": "Geo News", "language": "ur"},
        "راولپنڈی میں جنرل ہیڈکوارٹرز میں اجلاس ہوا۔ اسلام آباد میں بھی سیکیورٹی سخت رہی۔",
    ),
    (
        "urdu-quetta.md",
        {"title": "کوئٹہ اور راولپنڈی کے درمیان ٹرین", "source": "BBC", "language": "ur"},
        "کوئٹہ سے راولپنڈی جانے والی ٹرین بحال ہو گئی۔",
    ),
]
NAMING_RAWALPINDI = ["garrison.md", "protest.md", "traders.md"]
URDU_NAMING_RAWALPINDI = ["urdu-garrison.md", "urdu-quetta.md"]


def write_articles(folder: Path) -> Path:
    """The articles above as .md files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, (name, front, body) in enumerate(ARTICLES, 1):
        fields = {
            "date": f"2025-11-{number:02}",
            "language": "en",
            "status": "published",
            **front,
        }
        header = "".join(f'{key}: "{value}"\n' for key, value in fields.items())
        (folder / name).write_text(f"---\n{header}---\n\n{body}\n", encoding="utf-8")
    return folder


def import_articles(folder: Path) -> dict[str, Article]:
    """Imports the articles above (the gazetteer must be there); returns them by file."""
    call_command("import_articles", str(write_articles(folder)), verbosity=0)
    return {a.source_file: a for a in Article.objects.exclude(source_file__endswith=".txt")}
