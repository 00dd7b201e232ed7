"""`digest import`: saved pages and copied text become clean articles with complete front matter."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from digest.importer import (
    ImportOptions,
    UsageProblem,
    clean_url,
    import_command,
    import_files,
    parse_date,
    read_article,
    similarity,
    url_key,
)
from conftest import SEEDS
from digest.model import CleaningRules

FIXTURES = Path(__file__).parent / "fixtures" / "import"
DEFAULTS = CleaningRules()

# What each saved page must give: metadata from the page, every story paragraph, no boilerplate.
PAGES = {
    "harbour-ledger.html": {
        "meta": {
            "title": "Old Harbour Bridge to close for six weeks of repairs",
            "source": "The Harbour Ledger",
            "url": "https://harbourledger.example/news/2025/03/14/old-harbour-bridge-repairs/",
            "published": dt.datetime(2025, 3, 14, 7, 45, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            "author": "Mara Lindqvist",
            "language": "en",
        },
        "slug": "old-harbour-bridge-to-close-for-six-weeks-of-repairs",
        "headings": ["Diversions for drivers", "Extra ferries"],
        "paragraphs": [
            "The Old Harbour Bridge will close to all motor traffic from 7 April",
            "Officials said the structure, which opened in 1931",
            "Pedestrians and cyclists will still be able to cross",
            "Drivers heading for the old town will be sent over the Eastern Causeway",
            "Traders on Quay Street said they feared losing customers.",
            "To ease the pressure, the harbour ferry will run every 12 minutes",
            "“This is the least disruptive window we could find",
            "The repairs are expected to cost 4.2 million euros",
        ],
        "junk": ["cookies", "Skip to content", "Advertisement", "Also Read", "cycle lanes", "Share", "Facebook", "Wikimedia",
                 "Subscribe", "morning briefing", "Tags", "Related articles", "Tram line", "Leave a Reply", "All rights reserved",
                 "4 min read", "Home"],
    },
    "valley-post.html": {
        "meta": {
            "title": "Flood relief appeal raises £2.3m for Aldmoor families",
            "source": "The Valley Post",
            "url": "https://valleypost.example/local/flood-relief-appeal-aldmoor-4471",
            "published": dt.datetime(2025, 1, 9, 16, 20, tzinfo=dt.timezone.utc),
            "author": "Priya Raman and Owen Hale",
            "language": "en",
        },
        "slug": "flood-relief-appeal-raises-ps2-3m-for-aldmoor-families",
        "headings": ["Insurance Gaps"],
        "paragraphs": [
            "A public appeal for families whose homes were flooded",
            "The Aldmoor Community Trust said more than 14,000 people had donated",
            "About 640 households have applied for grants so far.",
            "Many of those affected had no contents insurance.",
            "“People are sleeping on relatives’ floors",
            "The county council has promised to match every pound",
        ],
        "junk": ["cookies", "Reject all", "Read more", "river defences", "Sign up", "daily briefing", "Share", "1.2k", "Most read",
                 "Rovers", "Copyright", "Photo:", "Advertisement", "By Priya", "A38"],
    },
    "lakeside-gazette.html": {
        "meta": {
            "title": "Ferry Operator Adds Winter Sailings to Island Route",
            "source": "Lakeside Gazette",
            "url": "https://lakesidegazette.example/ferry-operator-adds-winter-sailings/",
            "published": dt.datetime(2024, 11, 28, 9, 12, 44, tzinfo=dt.timezone.utc),
            "author": "Gazette Staff",
            "language": "en",
        },
        "slug": "ferry-operator-adds-winter-sailings-to-island-route",
        "headings": ["Island Council Welcomes Decision", "Fares Unchanged"],
        "paragraphs": [
            "Island residents will get four extra ferry crossings a week this winter",
            "Westmere Ferries said on Wednesday that the additional sailings",
            "The company had planned to lay up the smaller boat",
            "The island council, which represents about 2,100 permanent residents",
            "“For nurses, teachers and shop workers who live here",
            "Fares will stay at the summer level of 7.50 for adults",
        ],
        "junk": ["spot_img", "Source link", "Related articles", "Latest articles", "Island Clinic Funding", "(LG", "By Gazette",
                 "Wikimedia", "Harbour Dredging", "Storm Warning", "Facebook", "WhatsApp", "All rights reserved", "Donate"],
    },
}


def body_of(document: str) -> str:
    return document.split("\n---\n", 1)[1]


def front_matter(document: str) -> dict:
    assert document.startswith("---\n")
    return yaml.safe_load(document.split("\n---\n", 1)[0][4:])


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A project folder with content/site.yaml and an empty articles folder; the current directory."""
    (tmp_path / "content" / "articles").mkdir(parents=True)
    (tmp_path / "content" / "topics").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("title: Test digest\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(import_command, [str(a) for a in args], catch_exceptions=False)


def fixture(name: str, project: Path) -> Path:
    """A copy of a fixture inside the project (so relative paths in messages are short)."""
    target = project / "inbox" / name
    target.parent.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / name, target)
    return Path("inbox") / name


def articles(project: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((project / "content" / "articles").glob("*.md"))}


# ----------------------------------------------------------------- saved pages


@pytest.mark.parametrize("name", sorted(PAGES))
def test_saved_page_metadata_text_and_no_boilerplate(name: str):
    expected = PAGES[name]
    article = read_article(FIXTURES / name, DEFAULTS)
    for key, value in expected["meta"].items():
        assert getattr(article, key) == value, key
    paragraphs = [b.text for b in article.blocks if b.kind == "paragraph"]
    assert len(paragraphs) == len(expected["paragraphs"])
    for start, text in zip(expected["paragraphs"], paragraphs):
        assert text.startswith(start)
    assert [b.text for b in article.blocks if b.kind == "heading"] == expected["headings"]
    for junk in expected["junk"]:
        assert junk not in article.body, junk


@pytest.mark.parametrize("name", sorted(PAGES))
def test_import_saved_page_without_flags(project: Path, name: str):
    result = run(fixture(name, project))
    assert result.exit_code == 0, result.output
    slug = PAGES[name]["slug"]
    assert f"wrote content/articles/{slug}.md" in result.stdout
    document = articles(project)[f"{slug}.md"]
    meta = front_matter(document)
    assert list(meta) == ["title", "source", "url", "published", "author", "language"]
    for key, value in PAGES[name]["meta"].items():
        assert meta[key] == value, key
    for heading in PAGES[name]["headings"]:
        assert f"\n## {heading}\n" in "\n" + body_of(document)


def test_trafilatura_gaps_are_filled_from_the_page():
    # trafilatura takes og:url (with tracking parameters) before the canonical link
    valley = read_article(FIXTURES / "valley-post.html", DEFAULTS)
    assert valley.origin["url"] == "page canonical link" and "utm_" not in valley.url
    # ... and the JSON-LD WebPage name ("Headline – Outlet") as the site name
    lakeside = read_article(FIXTURES / "lakeside-gazette.html", DEFAULTS)
    assert lakeside.source == "Lakeside Gazette" and lakeside.origin["source"] == "page JSON-LD publisher"
    # the declared publication time keeps its time of day (trafilatura gives the day only)
    assert isinstance(lakeside.published, dt.datetime)


def test_page_without_metadata_names_the_flags(project: Path):
    result = run(fixture("bare-page.html", project))
    assert result.exit_code == 1
    assert "error: no outlet found in bare-page.html; pass --source NAME" in result.stderr
    assert "error: no URL found in bare-page.html; pass --url URL" in result.stderr
    assert "error: no publication date found in bare-page.html; pass --published YYYY-MM-DD" in result.stderr
    assert "title" not in result.stderr  # the <title> was enough
    assert articles(project) == {}


def test_flags_supply_what_the_page_lacks(project: Path):
    result = run(fixture("bare-page.html", project), "--source", "Borough Bulletin", "--url", "https://bulletin.example/allotments", "--published", "2025-02-01")
    assert result.exit_code == 0, result.output
    document = articles(project)["allotment-waiting-list-grows-to-record-length.md"]
    meta = front_matter(document)
    assert meta == {"title": "Allotment waiting list grows to record length", "source": "Borough Bulletin",
                    "url": "https://bulletin.example/allotments", "published": dt.date(2025, 2, 1)}
    assert "Share this" not in document and "Archive" not in document
    assert body_of(document).count("\n\n") == 2  # three paragraphs


def test_flags_override_the_page(project: Path):
    result = run(fixture("harbour-ledger.html", project), "--source", "Ledger", "--url", "https://mirror.example/bridge",
                 "--published", "2025-03-15", "--author", "Desk", "--title", "Bridge closure")
    assert result.exit_code == 0, result.output
    meta = front_matter(articles(project)["bridge-closure.md"])
    assert meta["source"] == "Ledger" and meta["url"] == "https://mirror.example/bridge"
    assert meta["published"] == dt.date(2025, 3, 15) and meta["author"] == "Desk" and meta["title"] == "Bridge closure"
    assert "(flag)" in result.stdout


# ----------------------------------------------------------------- copied text


def test_import_copied_text(project: Path):
    result = run(fixture("market-reopens-copied.txt", project), "--source", "Riverside Courier", "--url", "https://courier.example/market", "--published", "2024-10-07")
    assert result.exit_code == 0, result.output
    document = articles(project)["riverside-market-reopens-after-summer-floods-traders-count-the-cost.md"]
    meta = front_matter(document)
    assert meta["title"] == "Riverside Market Reopens After Summer Floods – Traders Count the Cost"
    assert meta["author"] == "Riverside Courier Staff"
    body = body_of(document)
    assert "## Repair Bill" in body and "## ‘Empty Pitches’" in body
    for junk in ("Wikimedia", "By Riverside", "River Wall", "(RC", "Source link", "Latest articles", "spot_img", "Related articles"):
        assert junk not in body
    assert "removed line 56" not in result.stdout and "removed line 34: 'Source link'" in result.stdout


def test_text_without_title_line_gets_a_derived_title_and_a_warning(project: Path):
    result = run(fixture("dock-strike-copied.txt", project), "--source", "Port Wire", "--url", "https://portwire.example/news/1234", "--published", "2025-04-01")
    assert result.exit_code == 0, result.output
    assert "has no title line" in result.stderr and "--title" in result.stderr
    (name, document), = articles(project).items()
    meta = front_matter(document)
    assert meta["title"] == "Dock workers at the country’s second-largest container terminal walked out on Tuesday…"
    assert name == "dock-workers-at-the-countrys-second-largest-container-terminal-walked-out-on-tuesday.md"
    assert body_of(document).startswith("Rotterdam: Dock workers")  # the first paragraph stays in the body


@pytest.mark.parametrize(
    "paragraph,title",
    [
        ("Brackwell: The ferry team, led by its new captain, returned to port on Friday following two weeks of trials off the northern coast.",
         "The ferry team returned to port on Friday"),
        ("LONDON (Wire) - Fares will rise by 4 percent in April.", "Fares will rise by 4 percent in April"),
        ("The council met on Monday and the mayor spoke first and then the deputy spoke and then the treasurer read out every line of the budget for the year.",
         "The council met on Monday and the mayor spoke first and then…"),
    ],
)
def test_headline_from_first_paragraph(paragraph: str, title: str):
    from digest.importer import headline_from

    assert headline_from(paragraph) == title


def test_copied_text_needs_its_metadata(project: Path):
    result = run(fixture("market-reopens-copied.txt", project))
    assert result.exit_code == 1
    for flag in ("--source NAME", "--url URL", "--published YYYY-MM-DD"):
        assert flag in result.stderr
    assert "--title" not in result.stderr


def test_sidecar_yaml_supplies_metadata(project: Path):
    path = fixture("night-buses-wrapped.txt", project)
    path.with_suffix(".yaml").write_text("source: Northgate Herald\nurl: https://northgate.example/night-buses\npublished: 2025-02-03\n", encoding="utf-8")
    result = run(path)
    assert result.exit_code == 0, result.output
    meta = front_matter(articles(project)["council-votes-to-keep-night-buses-running.md"])
    assert meta["source"] == "Northgate Herald" and meta["published"] == dt.date(2025, 2, 3) and meta["author"] == "Lena Hart"


def test_import_markdown(project: Path):
    result = run(fixture("library-sundays.md", project))
    assert result.exit_code == 0, result.output
    document = articles(project)["library-to-open-on-sundays-from-march.md"]
    meta = front_matter(document)
    assert meta["title"] == "Library to Open on Sundays From March" and meta["author"] == "Lena Hart"
    body = body_of(document)
    assert body.startswith("The central library will open")
    assert "- Opening hours: 11am to 4pm\n- Cafe and study rooms open" in body
    assert "Related" not in body and "Share this" not in body and "By Lena" not in body


def test_scraped_markup_is_escaped(project: Path):
    page = project / "inbox" / "markup.txt"
    page.parent.mkdir()
    page.write_text("Harbour Board Meets\n\nThe board said <script>alert(1)</script> was *not* [a link](x) in the minutes.\n\n# 1. Not a heading either.\n", encoding="utf-8")
    result = run(page, "--source", "S", "--url", "https://s.example/a", "--published", "2025-01-01")
    assert result.exit_code == 0, result.output
    body = body_of(articles(project)["harbour-board-meets.md"])
    assert "\\<script\\>" in body and "\\*not\\*" in body and "\\[a link\\]" in body and "\\# 1. Not" in body


# ------------------------------------------------------------------- safety


def test_existing_file_is_never_overwritten_without_force(project: Path):
    target = project / "content" / "articles" / "allotment-waiting-list-grows-to-record-length.md"
    target.write_text("---\ntitle: Mine\nsource: Me\nurl: https://me.example/1\npublished: 2024-01-01\n---\nSomething else entirely.\n", encoding="utf-8")
    flags = ["--source", "Borough Bulletin", "--url", "https://bulletin.example/allotments", "--published", "2025-02-01"]
    result = run(fixture("bare-page.html", project), *flags)
    assert result.exit_code == 1
    assert "content/articles/allotment-waiting-list-grows-to-record-length.md already exists; pass --force" in result.stderr
    assert "title: Mine" in target.read_text(encoding="utf-8")
    result = run(Path("inbox") / "bare-page.html", *flags, "--force")
    assert result.exit_code == 0, result.output
    assert "overwrote content/articles/allotment-waiting-list-grows-to-record-length.md" in result.stdout
    assert "Borough Bulletin" in target.read_text(encoding="utf-8")


def test_same_url_is_skipped(project: Path):
    assert run(fixture("valley-post.html", project)).exit_code == 0
    before = articles(project)
    result = run(Path("inbox") / "valley-post.html", "--title", "A different title")
    assert result.exit_code == 1
    assert "already imported" in result.stderr and "has the same URL" in result.stderr and "--force" in result.stderr
    assert articles(project) == before
    assert run(Path("inbox") / "valley-post.html", "--title", "A different title", "--force").exit_code == 0
    assert len(articles(project)) == 2


def test_url_with_tracking_parameters_is_the_same_url(project: Path):
    flags = ["--source", "Borough Bulletin", "--published", "2025-02-01"]
    assert run(fixture("bare-page.html", project), *flags, "--url", "https://www.bulletin.example/allotments/").exit_code == 0
    result = run(fixture("dock-strike-copied.txt", project), *flags, "--url", "http://bulletin.example/allotments?utm_source=x#top")
    assert result.exit_code == 1 and "has the same URL" in result.stderr


def test_near_identical_text_is_skipped(project: Path):
    text = (FIXTURES / "market-reopens-copied.txt").read_text(encoding="utf-8")
    first = project / "a.txt"
    first.write_text(text, encoding="utf-8")
    second = project / "b.txt"
    second.write_text("Market Back in Business\n\n" + text.split("\n", 1)[1].replace("26 years", "twenty-six years"), encoding="utf-8")
    common = ["--source", "Riverside Courier", "--published", "2024-10-07"]
    assert run(first, *common, "--url", "https://courier.example/a").exit_code == 0
    result = run(second, *common, "--url", "https://other.example/b")
    assert result.exit_code == 1
    assert "has nearly the same text" in result.stderr
    assert len(articles(project)) == 1
    assert run(second, *common, "--url", "https://other.example/b", "--force").exit_code == 0


def test_duplicates_within_one_run(project: Path):
    a = fixture("harbour-ledger.html", project)
    b = project / "inbox" / "copy.html"
    shutil.copy(FIXTURES / "harbour-ledger.html", b)
    result = run(a, b)
    assert result.exit_code == 1
    assert "1 of 2 files not imported" in result.stderr
    assert len(articles(project)) == 1


def test_dry_run_writes_nothing(project: Path):
    result = run(fixture("lakeside-gazette.html", project), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would write content/articles/ferry-operator-adds-winter-sailings-to-island-route.md" in result.stdout
    assert "title: Ferry Operator Adds Winter Sailings to Island Route" in result.stdout
    assert "[byline]" in result.stdout
    assert articles(project) == {}


def test_site_yaml_rules_apply_to_import(project: Path):
    (project / "content" / "site.yaml").write_text(
        textwrap.dedent(
            """\
            title: Test digest
            cleaning:
              exact: ["Listen to the Courier podcast"]
              patterns: ['^Trader of the week: .*$']
            """
        ),
        encoding="utf-8",
    )
    path = project / "in.txt"
    path.write_text("Market Hall Reopens\n\nListen to the Courier podcast\n\nThe hall reopened on Monday after eleven weeks.\n\nTrader of the week: Anneli Voss\n\nSource link\n", encoding="utf-8")
    result = run(path, "--source", "Courier", "--url", "https://courier.example/m", "--published", "2024-10-07")
    assert result.exit_code == 0, result.output
    assert body_of(articles(project)["market-hall-reopens.md"]) == "The hall reopened on Monday after eleven weeks.\n"
    assert 'exact "Listen to the Courier podcast"' in result.stdout and "pattern \"^Trader of the week" in result.stdout


def test_site_yaml_can_switch_defaults_off(project: Path):
    (project / "content" / "site.yaml").write_text("title: T\ncleaning:\n  defaults: false\n", encoding="utf-8")
    path = project / "in.txt"
    path.write_text("Market Hall Reopens\n\nThe hall reopened on Monday after eleven weeks.\n\nSource link\n", encoding="utf-8")
    result = run(path, "--source", "Courier", "--url", "https://courier.example/m", "--published", "2024-10-07")
    assert result.exit_code == 0, result.output
    assert body_of(articles(project)["market-hall-reopens.md"]).endswith("Source link\n")


def test_bad_site_pattern_is_a_content_error(project: Path):
    (project / "content" / "site.yaml").write_text("title: T\ncleaning:\n  patterns: ['(unclosed']\n", encoding="utf-8")
    result = run(fixture("harbour-ledger.html", project))
    assert result.exit_code == 1
    assert "site.yaml" in result.stderr and "(unclosed" in result.stderr
    assert articles(project) == {}


# ------------------------------------------------------------------ usage


@pytest.mark.parametrize(
    "args,message",
    [
        (["--published", "20 December"], "is not a date"),
        (["--url", "ftp://x.example/a"], "not an http(s) link"),
    ],
)
def test_usage_errors(project: Path, args: list[str], message: str):
    result = run(fixture("harbour-ledger.html", project), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_url_for_several_files_is_a_usage_error(project: Path):
    result = run(fixture("harbour-ledger.html", project), fixture("valley-post.html", project), "--url", "https://x.example/a")
    assert result.exit_code == 2 and "one at a time" in result.output


def test_unsupported_and_missing_files_are_usage_errors(project: Path):
    pdf = project / "page.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert run(pdf).exit_code == 2
    assert run("missing.html").exit_code == 2


def test_binary_file_is_a_content_error(project: Path):
    blob = project / "photo.html"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run(blob)
    assert result.exit_code == 1 and "looks binary" in result.stderr


def test_registered_in_the_cli(project: Path):
    from digest.cli import main

    result = CliRunner().invoke(main, ["import", str(fixture("valley-post.html", project))])
    assert result.exit_code == 0, result.output
    assert len(articles(project)) == 1


def test_content_folder_must_exist(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(FIXTURES / "harbour-ledger.html", tmp_path / "page.html")
    result = run("page.html")
    assert result.exit_code == 2 and "--content" in result.output


def test_content_option(project: Path):
    other = project / "elsewhere"
    (other / "articles").mkdir(parents=True)
    result = run(fixture("valley-post.html", project), "--content", other)
    assert result.exit_code == 0, result.output
    assert (other / "articles" / f"{PAGES['valley-post.html']['slug']}.md").exists()


def test_import_files_is_usable_without_click(tmp_path: Path):
    content = tmp_path / "content"
    outcomes = import_files([FIXTURES / "valley-post.html"], content, ImportOptions(dry_run=True))
    assert [o.status for o in outcomes] == ["would-write"] and not content.exists()
    outcomes = import_files([FIXTURES / "valley-post.html"], content, ImportOptions())
    assert outcomes[0].status == "written" and outcomes[0].target.exists()
    with pytest.raises(UsageProblem):
        import_files([FIXTURES / "valley-post.html"], content, ImportOptions(published="soon"))


# ------------------------------------------------------------------ helpers


def test_url_helpers():
    assert clean_url("https://a.example/x?utm_source=t&id=3&fbclid=9#frag") == "https://a.example/x?id=3"
    assert url_key("https://www.A.example/x/") == url_key("http://a.example/x?utm_medium=social")
    assert url_key("https://a.example/x?b=2&a=1") == url_key("https://a.example/x?a=1&b=2")
    assert url_key("https://a.example/x") != url_key("https://a.example/y")


def test_parse_date():
    assert parse_date("2024-12-20") == dt.date(2024, 12, 20)
    assert parse_date("2024-12-20T09:30:00Z") == dt.datetime(2024, 12, 20, 9, 30, tzinfo=dt.timezone.utc)
    assert parse_date("Thu, 09 Jan 2025 16:20:00 GMT") == dt.datetime(2025, 1, 9, 16, 20, tzinfo=dt.timezone.utc)
    assert parse_date("20/12/2024") is None and parse_date("") is None and parse_date("soon") is None


def test_similarity():
    words = "the covered market reopened on monday eleven weeks after flood water filled its lower hall".split() * 3
    assert similarity(words, words) == 1.0
    assert similarity(words, words[:-1] + ["barn"]) > 0.9
    assert similarity(words, list(reversed(words))) < 0.5


# ------------------------------------------------------------------ the build


def test_imported_articles_load_and_build(project: Path):
    from digest.build import build
    from digest.load import load_articles

    for name in ("harbour-ledger.html", "valley-post.html", "lakeside-gazette.html", "library-sundays.md"):
        assert run(fixture(name, project)).exit_code == 0
    assert run(fixture("market-reopens-copied.txt", project), "--source", "Riverside Courier", "--url", "https://courier.example/m", "--published", "2024-10-07").exit_code == 0
    problems: list = []
    loaded = load_articles(project / "content" / "articles", problems)
    assert problems == [] and len(loaded) == 5
    result = build(project / "content", project / "site")
    assert result.pages > 0
    page = (project / "site" / "articles" / PAGES["lakeside-gazette.html"]["slug"] / "index.html").read_text(encoding="utf-8")
    assert "Westmere Ferries said on Wednesday" in page and "spot_img" not in page


# ------------------------------------------------------------------ the seeds


def _seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.mark.skipif(not _seeds(), reason="shared/seeds not available")
def test_seed_articles_import_clean_and_build(project: Path):
    from digest.build import build

    for n, seed in enumerate(_seeds()):
        result = run(seed, "--source", f"Seed Outlet {n}", "--url", f"https://seed{n}.example/story", "--published", "2024-12-20")
        assert result.exit_code == 0, result.output
    documents = articles(project)
    assert len(documents) == len(_seeds())
    bodies = [body_of(d) for d in documents.values()]
    everything = "\n".join(bodies)
    for seed in _seeds():
        for line in seed.read_text(encoding="utf-8").splitlines():
            line = " ".join(line.split())
            if len(line.split()) >= 12 and re.search(r"[.!?][\"”’]?$", line) and "(Photo" not in line:
                assert line in everything.replace("\\", ""), line  # every story paragraph kept
    for junk in ("Source link", "Latest articles", "Related articles", "spot\\_img", "spot_img", "Also Read", "Wikimedia", "(PC,", "\nBy "):
        assert junk not in everything
    assert all(front_matter(d)["title"] for d in documents.values())
    build(project / "content", project / "site")


PARAGRAPH = "<p>Ten people were killed in the port city on Monday, officials said, as the storm moved inland.</p>"


@pytest.mark.parametrize(
    "name, text",
    [
        ("punycode.html", f'<html><head><meta charset="punycode"><title>Storm toll</title></head><body><article>{PARAGRAPH}</article></body></html>'),
        ("deep-json-ld.html", '<html><head><title>Storm toll</title><script type="application/ld+json">' + '{"a":' * 5000 + "1" + "}" * 5000 + f"</script></head><body><article>{PARAGRAPH}</article></body></html>"),
        ("impossible-date.md", "---\ntitle: Storm toll\npublished: 2025-02-30\n---\nTen people were killed in the port city on Monday, officials said.\n"),
    ],
)
def test_a_hostile_page_is_imported_without_an_internal_error(project: Path, name: str, text: str):
    page = project / "inbox" / name
    page.parent.mkdir(exist_ok=True)
    page.write_text(text, encoding="utf-8")
    result = run(page, "--source", "Port Wire", "--url", "https://portwire.example/storm", "--published", "2025-02-28")
    assert result.exit_code == 0, result.output
    [document] = articles(project).values()
    assert "Ten people were killed" in document
