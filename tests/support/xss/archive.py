"""A hostile archive: every payload of the corpus in every field a reader or an editor sees,
written through the two ways in — the importer (Markdown files with front matter and a
gazetteer) and the admin (posted as an editor) — and the list of pages that show it.

Through the importer, payloads are packed into the length-limited fields (titles, names,
sources, bylines), so every payload is a title, a standfirst, a body, an entity name, an
alias and a description somewhere. Through the admin, four articles and four entities carry
a quarter of the corpus each in their long fields and in their aliases.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import yaml
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Alias, Article, Entity, ImportRun
from articles.reader.sitemaps import SITEMAPS
from tests.support.admin_forms import changeform_data, user_in
from tests.support.xss.corpus import as_markdown, chunks, packed, payloads, shortest
from tests.support.xss.routes import public_routes

KINDS = ["person", "place", "organisation", "event"]
PAGES = ["detail", "feed"]  # the per-entity URL patterns: articles:<kind>_<page>
CITATIONS = {"article_bibtex", "article_ris", "article_csl_json"}
GAZETTEER_FILES = {
    "person": "people",
    "place": "places",
    "organisation": "organisations",
    "event": "events",
}
TITLE_LIMIT, NAME_LIMIT = 290, 190
FIRST_DAY = datetime.date(2025, 6, 1)
# Words every payload article contains, to reach search results with highlighted snippets.
SEARCH_WORDS = ["script", "alert", "onerror", "javascript", "svg", "iframe", "img src", "data"]


def _yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)


def write_import_tree(folder: Path) -> Path:
    """Markdown articles and a gazetteer holding every payload; returns the folder."""
    corpus = payloads()
    gazetteer: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for number, group in enumerate(packed(corpus, NAME_LIMIT)):
        kind = KINDS[number % len(KINDS)]
        entity = {
            "name": " ".join(group),
            "slug": f"xss-{kind}-{number}",
            "aliases": group,
            "description": "\n\n".join(group),
        }
        if kind == "person":
            entity["role"] = shortest(group, 200)
        elif kind == "place":
            entity["country"] = shortest(group, 100)
            # On the map, as markers labelled with the payloads.
            entity["latitude"], entity["longitude"] = 26 + number % 12, 61 + number % 14
        elif kind == "event":
            entity["start"] = (FIRST_DAY + datetime.timedelta(days=number)).isoformat()
            entity["places"] = [p["slug"] for p in gazetteer["place"][-2:]]
            entity["participants"] = [p["slug"] for p in gazetteer["person"][-2:]]
        gazetteer[kind].append(entity)
    (folder / "gazetteer").mkdir(parents=True, exist_ok=True)
    for kind, entities in gazetteer.items():
        text = _yaml({"kind": kind, "entities": entities})
        (folder / "gazetteer" / f"xss-{GAZETTEER_FILES[kind]}.yaml").write_text(text)

    tagged = [e for kind in ("person", "place") for e in gazetteer[kind]]
    for number, group in enumerate(packed(corpus, TITLE_LIMIT)):
        first, second = tagged[number % len(tagged)], tagged[(number + 1) % len(tagged)]
        meta = {
            "title": " ".join(group),
            "standfirst": " ".join(group),
            "date": (FIRST_DAY + datetime.timedelta(days=number)).isoformat(),
            "source": shortest(group, 120),
            "source_url": f"https://example.org/{number}?q=%22%3E%3Cscript%3Ealert(1)",
            "byline": shortest(group, 200),
            # By name, in its hostile spelling (the resolver reads "x:y" as kind:name, so
            # not a name with a colon), and by kind and slug.
            "tags": [
                first["name"] if ":" not in first["name"] else first["slug"],
                f"{'place' if 'country' in second else 'person'}:{second['slug']}",
            ],
        }
        if number % 2:  # the others get their slug from the hostile title
            meta["slug"] = f"xss-import-{number}"
        text = f"---\n{_yaml(meta)}---\n{as_markdown(group)}\n"
        (folder / f"xss-{number:02d}.md").write_text(text)
    hidden = {"draft": {"status": "draft"}, "scheduled": {"date": "2099-01-01"}}
    for name, fields in hidden.items():
        meta = {"title": f"{corpus[0]} ({name})", "slug": f"xss-{name}"} | fields
        (folder / f"xss-{name}.md").write_text(f"---\n{_yaml(meta)}---\n{as_markdown(corpus)}\n")
    return folder


def _post(client: Client, url: str, data: dict) -> None:
    response = client.post(url, data)
    if response.status_code != 302:
        errors = response.context and [
            response.context.get("adminform") and response.context["adminform"].form.errors,
            [f.formset.errors for f in response.context.get("inline_admin_formsets") or []],
        ]
        raise AssertionError(f"POST {url} answered {response.status_code}: {errors}")


def add_entities_in_the_admin(client: Client) -> list[Entity]:
    added: dict[str, Entity] = {}
    for kind, quarter in zip(KINDS, chunks(payloads(), len(KINDS)), strict=True):
        data = {
            "kind": kind,
            "name": " ".join(packed(quarter, NAME_LIMIT)[0]),
            "slug": f"xss-admin-{kind}",
            "description": "\n\n".join(quarter),
            "role": shortest(quarter, 200) if kind == "person" else "",
            "country": shortest(quarter, 100) if kind == "place" else "",
            "start_precision": "day",
            "end_precision": "day",
            "aliases-TOTAL_FORMS": str(len(quarter)),
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
        }
        data |= {f"aliases-{n}-name": payload[:200] for n, payload in enumerate(quarter)}
        if kind == "event":
            data["places"] = [str(added["place"].pk)]
            data["participants"] = [str(added["person"].pk), str(added["organisation"].pk)]
        _post(client, reverse("admin:articles_entity_add"), data)
        added[kind] = Entity.objects.get(kind=kind, slug=f"xss-admin-{kind}")
    return list(added.values())


def add_articles_in_the_admin(client: Client, entities: list[Entity]) -> list[Article]:
    added = []
    # Every article quotes a person in the payloads' words (the person and article pages
    # show them).
    speaker = next(entity for entity in entities if entity.kind == Entity.Kind.PERSON)
    for number, quarter in enumerate(chunks(payloads(), len(entities))):
        data = {
            "title": " ".join(packed(quarter, TITLE_LIMIT)[0]),
            "slug": f"xss-admin-{number}",
            "standfirst": " ".join(quarter),
            "body": as_markdown(quarter),
            "status": "published",
            "published_at_0": (FIRST_DAY - datetime.timedelta(days=number + 1)).isoformat(),
            "published_at_1": "10:00:00",
            "date_precision": "day",
            "source_name": shortest(quarter, 120),
            "source_url": f"https://example.org/admin/{number}",
            "byline": shortest(quarter, 200),
            "language": "en",
            "inferred_fields": "",
            "add_tags": f"{entities[number].kind}:{entities[number].slug}",
            "quotations-TOTAL_FORMS": "1",
            "quotations-INITIAL_FORMS": "0",
            "quotations-MIN_NUM_FORMS": "0",
            "quotations-MAX_NUM_FORMS": "1000",
            "quotations-0-person": str(speaker.pk),
            "quotations-0-passage": " ".join(quarter),
            "quotations-0-position": "0",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        }
        _post(client, reverse("admin:articles_article_add"), data)
        added.append(Article.objects.get(slug=f"xss-admin-{number}"))
    # An edit that accepts the suggested tags and creates an entity from a "new name" the
    # payload text offers, so that the suggestions, history and revisions show payloads.
    first = added[0]
    url = reverse("admin:articles_article_change", args=[first.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = changeform_data(page) | {
        "title": " ".join(packed(payloads()[::-1], TITLE_LIMIT)[0]),
        "suggested_entities": [str(pk) for pk in form.found_counts][:20],
        "new_entities": [f"person:{phrase}" for phrase in list(form.candidate_counts)[:1]],
    }
    _post(client, url, data)
    return added


@dataclass
class HostileArchive:
    editor: User
    articles: list[Article] = field(default_factory=list)
    hidden: list[Article] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    # Every row from these primary keys on was written by the build.
    first_article_pk: int = 0
    first_entity_pk: int = 0

    def covering_entities(self) -> list[Entity]:
        """The entities added in the admin (their aliases and descriptions hold the whole
        corpus) and one imported entity of each kind."""
        added = [e for e in self.entities if e.slug.startswith("xss-admin")]
        return added + [
            next(e for e in self.entities if e.kind == kind and e not in added) for kind in KINDS
        ]

    def public_urls(self, *, sample: bool = False) -> list[str]:
        """Every public page showing hostile data: each URL pattern of the site (found by
        walking the resolver, so new pages are included), filled with the hostile rows.
        A ``sample`` keeps only the covering entities' pages (the lists still show every
        name, the covering entities every payload as an alias and in a description) and
        fewer searches."""
        entities = self.covering_entities() if sample else self.entities
        every_nth_payload = 36 if sample else 4
        urls = []
        for route, pattern in public_routes():
            if not pattern.pattern.converters:
                urls.append("/" + route)
            elif route.startswith("api/"):  # named as the pages are, in the API's namespace
                urls += self.api_urls(pattern.name, entities)
            elif pattern.name in CITATIONS:
                urls += [
                    reverse(f"articles:{pattern.name}", kwargs={"slug": a.slug})
                    for a in self.articles
                ]
            elif pattern.name == "article_detail":
                urls += [a.get_absolute_url() for a in self.articles]
            elif pattern.name == "django.contrib.sitemaps.views.sitemap":
                urls += [reverse(pattern.name, kwargs={"section": name}) for name in SITEMAPS]
            elif pattern.name.rpartition("_")[::2] in {(k, p) for k in KINDS for p in PAGES}:
                kind = pattern.name.rpartition("_")[0]
                urls += [
                    reverse(f"articles:{pattern.name}", kwargs={"slug": e.slug})
                    for e in entities
                    if e.kind == kind
                ]
            else:
                raise AssertionError(
                    f"tests/support/xss/archive.py does not know how to fill /{route} with hostile "
                    "rows: teach HostileArchive.public_urls, so that the page is checked."
                )
        pages = -(-Article.objects.published().count() // 20)
        urls += [f"/?page={n}" for n in range(2, pages + 1)]
        return urls + self.search_urls(every_nth_payload, by_name=not sample)

    def api_urls(self, name: str, entities: list[Entity]) -> list[str]:
        """The API's answers about each hostile article or entity."""
        if name == "article_detail":
            return [reverse("api:article_detail", kwargs={"slug": a.slug}) for a in self.articles]
        kind = name.removesuffix("_detail")
        if kind in KINDS:
            return [
                reverse(f"api:{name}", kwargs={"slug": e.slug}) for e in entities if e.kind == kind
            ]
        raise AssertionError(f"tests/support/xss/archive.py: teach api_urls to fill api:{name}")

    def search_urls(self, every_nth_payload: int, *, by_name: bool = True) -> list[str]:
        """Results with highlighted snippets, named entities, facets, active filters and
        "did you mean", suggestions as JSON, and each payload reflected as a query."""
        names = {pattern.name for _, pattern in public_routes()}
        if "search" not in names:
            return []
        search = reverse("articles:search")
        person = next(e for e in self.entities if e.kind == "person")
        place = next(e for e in self.entities if e.kind == "place")
        queries = [{"q": word} for word in SEARCH_WORDS]
        queries += [{"q": "alert", "page": "2"}, {"q": "onerorr scirpt"}]
        if by_name:  # the entities named, with the spelling used
            queries += [{"q": e.name} for e in self.entities[:: max(1, len(self.entities) // 8)]]
            queries += [{"q": a.name} for a in Alias.objects.filter(entity__in=self.entities)[:4]]
        queries += [{"person": person.slug, "place": place.slug}, {"q": "script", "year": "2025"}]
        queries += [{"source": self.articles[0].source_name}]
        queries += [{"q": p} for p in payloads()[::every_nth_payload]]
        urls = [f"{search}?{urlencode(q)}" for q in queries]
        # The same searches as data: the API's search and list, the exports and the feed.
        for name in ("api:search", "api:article_list", "articles:search_export_csv",
                     "articles:search_export_jsonl", "articles:search_feed"):  # fmt: skip
            if name.partition(":")[2] in names:
                address = reverse(name)
                urls += [f"{address}?{urlencode(q)}" for q in queries[:: max(1, len(queries) // 6)]]
        if "search_suggest" in names:
            suggest = reverse("articles:search_suggest")
            words = ["scr", "img", "alert", "java"][: 4 if by_name else 2]
            urls += [f"{suggest}?{urlencode({'q': w})}" for w in words]
        return urls

    def snippet_urls(self) -> list[str]:
        """Search results whose snippets highlight words of the hostile text."""
        search = reverse("articles:search")
        return [f"{search}?{urlencode({'q': word})}" for word in SEARCH_WORDS]

    def admin_urls(self, *, sample: bool = False) -> list[str]:
        """The editor's pages that show hostile data: the lists of every row, and the forms
        of the rows added in the admin, of the hidden ones, and of one imported article and
        the covering entities (the same forms show every row). A ``sample`` leaves out the
        imported rows' forms, the scheduled article's, and the lists' other views."""
        added = [a for a in self.articles if a.slug.startswith("xss-admin")]
        imported = [a for a in self.articles if a not in added]
        articles = added + imported[:1] + self.hidden
        entities = self.covering_entities()
        if sample:
            articles = added + self.hidden[:1]
            entities = [e for e in entities if e.slug.startswith("xss-admin")]
        autocomplete = {"app_label": "articles", "model_name": "mention", "field_name": "entity"}
        urls = [
            reverse("admin:index"),
            reverse("admin:articles_article_changelist"),
            reverse("admin:articles_article_changelist") + "?q=script",
            reverse("admin:articles_entity_changelist"),
            reverse("admin:articles_entity_changelist") + "?q=alert",
            reverse("admin:autocomplete") + "?" + urlencode(autocomplete | {"term": "script"}),
        ]
        urls += [reverse("admin:articles_article_change", args=[a.pk]) for a in articles]
        urls += [reverse("admin:articles_entity_change", args=[e.pk]) for e in entities]
        edited = added[0]
        urls += [
            reverse("admin:articles_article_history", args=[edited.pk]),
            reverse("admin:articles_article_delete", args=[edited.pk]),
        ]
        urls += [
            reverse("admin:articles_article_revision", args=[r.article_id, r.number])
            for r in edited.revisions.all()
        ]
        # The names the hostile texts use, the entities found as an editor types, and the
        # imports' reports.
        urls += [
            reverse("admin:articles_namecandidate_changelist"),
            reverse("admin:articles_namecandidate_changelist") + "?q=script",
            reverse("admin:articles_entity_lookup") + "?q=script",
            reverse("admin:articles_importrun_changelist"),
            reverse("admin:articles_refusededit_changelist"),
        ]
        urls += [
            reverse("admin:articles_importrun_change", args=[pk])
            for pk in ImportRun.objects.values_list("pk", flat=True)
        ]
        if sample:
            urls = [u for u in urls if not any(p in u for p in ("?", "/history/", "/delete/"))]
        return urls


def _next_pk(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def build_hostile_archive(folder: Path) -> HostileArchive:
    """Imports the hostile files and posts the admin's share as an editor."""
    first_article_pk, first_entity_pk = _next_pk(Article), _next_pk(Entity)
    call_command("import_articles", str(write_import_tree(folder)), verbosity=0)
    # The importer and the admin refuse a language that is not a code, which SQL or the
    # shell may still write: the pages must escape it.
    Article.objects.filter(source_file="xss-01.md").update(language='x" onclick="')
    editor = user_in("Editors", "xss-editor")
    client = Client()
    client.force_login(editor)
    entities = add_entities_in_the_admin(client)
    add_articles_in_the_admin(client, entities)
    hostile = Article.objects.filter(pk__gte=first_article_pk).order_by("pk")
    published = set(Article.objects.published().values_list("pk", flat=True))
    return HostileArchive(
        editor=editor,
        articles=[a for a in hostile if a.pk in published],
        hidden=[a for a in hostile if a.pk not in published],
        entities=list(Entity.objects.filter(slug__startswith="xss-").order_by("kind", "slug")),
        first_article_pk=first_article_pk,
        first_entity_pk=first_entity_pk,
    )


def remove_hostile_archive(archive: HostileArchive) -> None:
    """Deletes every row the build wrote (tags, aliases, revisions and the editor's admin
    log go with their articles, entities and user)."""
    Article.objects.filter(pk__gte=archive.first_article_pk).delete()
    Entity.objects.filter(pk__gte=archive.first_entity_pk).delete()
    User.objects.filter(pk=archive.editor.pk).delete()


def hostile_upload(name: str, content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/markdown")
