"""Boilerplate cleaning: every shipped rule, the shapes (title, byline, subheadings), site rules, Markdown output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from digest.cleaning import (
    Cleaned,
    RuleError,
    Unit,
    byline_author,
    clean_blocks_markdown,
    clean_text,
    clean_units,
    default_rules,
    effective_rules,
    escape_markdown,
    match_rule,
    validate_rules,
)
from conftest import SEEDS
from digest.model import CleaningRules

FIXTURES = Path(__file__).parent / "fixtures" / "import"
DEFAULTS = CleaningRules()  # use_defaults=True: the shipped rules
NONE = CleaningRules(use_defaults=False)

# ------------------------------------------------------------ every default rule

# Lines each shipped rule must remove, in the forms they take on real pages.
# Exact rules are also tried in upper case and with trailing punctuation below.
DEFAULT_RULE_EXAMPLES: dict[str, list[str]] = {
    # prefixes
    "Also Read |": ["Also Read | Ferry fares to rise in spring", "ALSO READ| Port reopens", "**Also Read |** Harbour dredging begins"],
    "Also Read:": ["Also read: Bridge closure dates confirmed"],
    "Read also:": ["Read also: Mayor opens new library"],
    "Read more:": ["Read more: Why the river defences gave way", "» Read more : the full timeline"],
    "Read more |": ["Read More | Tram line delayed again"],
    "See also:": ["See also: Our guide to the closures"],
    "Related:": ["Related: Council votes on the budget", "*Related: [Night buses saved](https://example.org/x)*"],
    "Watch:": ["Watch: Drone footage of the flooded valley"],
    "Photo:": ["Photo: Sam Oduya/Valley Post", "(Photo: Lena Fisk)"],
    "Photos:": ["Photos: The market through the years"],
    "Image:": ["Image: Council handout"],
    "Picture:": ["Picture: Jonas Berg"],
    "Photo credit:": ["Photo credit: Harbour Ledger archive"],
    "Image credit:": ["Image credit: Getty"],
    "Credit:": ["Credit: Shutterstock"],
    "Featured image:": ["Featured image: The bridge at dusk"],
    "Tags:": ["Tags: Transport, Bridges"],
    "Filed under:": ["Filed under: City, Transport"],
    "Published:": ["Published: 14 March 2025"],
    "Updated:": ["Updated: 15 March 2025, 10:02"],
    "Last updated:": ["Last updated: yesterday"],
    "Share on ": ["Share on Facebook", "Share on WhatsApp"],
    "Follow us on ": ["Follow us on Instagram for more pictures"],
    "Join our WhatsApp": ["Join our WhatsApp channel for breaking news"],
    "Join our Telegram": ["Join our Telegram group"],
    "Download the app": ["Download the app for the latest stories"],
    "Newsletter:": ["Newsletter: Subscribe to get our stories by email"],
    "With inputs from": ["With inputs from agencies"],
    "Additional reporting by": ["Additional reporting by Owen Hale in Brackwell"],
    "Editing by": ["Editing by Priya Raman"],
    "This article was originally published": ["This article was originally published on our partner site."],
    "We use cookies": ["We use cookies to make this site work. Accept all"],
    # patterns
    r"^(?:spot_img\s*)+$": ["spot_imgspot_img", "spot_img", "spot_img spot_img spot_img"],
    r"\((?:file\s+)?(?:photo|image|picture|photograph|illustration|video)s?(?:\s+credit)?\s*:[^)]*\)\s*$": [
        "The bridge seen from the ferry terminal. (Photo: Jonas Berg, via Wikimedia Commons)",
        "Dock workers outside the gate (File photo: Port Authority)",
        "A flooded street (Image credit: Council)",
    ],
    r"via\s+wikimedia\s+commons\b": ["Photo by Tove Brandt via Wikimedia Commons", "Harbour at night, via Wikimedia Commons."],
    r"[.!?]\s+(?:photo|image|picture|photograph)s?(?:\s+credit)?\s*:\s*[^.!?]{1,80}$": [
        "Volunteers sort donated furniture at a depot. Photo: Sam Oduya/Valley Post"
    ],
    r"^(?=.*/\s*[\w .'’-]{2,60}\)?$).*\b(?:reuters|afp|ap|epa|getty\s+images|anadolu(?:\s+agency)?|xinhua)\s*/\s*[\w .'’-]{2,60}\)?$": [
        "Containers stacked at the terminal. REUTERS/Piroschka van de Wouw",
        "A ferry in the harbour (AFP/Getty Images)",
    ],
    r"^\(\s*[\w.&'’-]+(?:\s+[\w.&'’-]+){0,4}(?:\s*[,;/]\s*[\w.&'’-]+(?:\s+[\w.&'’-]+){0,4})*(?<!\.)\s*\)$": ["(RC, local agencies)", "(Reuters)", "(With inputs from agencies)"],
    r"^[^.!?]{10,140}\s[–—-]\s(?:[\w'’.-]+\s){0,3}(?:officials?|minister|spokes(?:man|woman|person)|reports?|sources?|leader|chief|envoy|president|mayor|ministry|media|army|police|analysts?|experts?|un)$": [
        "River Wall Upgrade Approved After Years of Delay – City Official",
        "Island Clinic Funding Secured After Two-Year Campaign – Council Leader",
        "Talks Stall Over Night Shifts — Report",
    ],
    r"^(?:share(?:\s+this)?|tweet|e-?mail|print|facebook|twitter|x|whatsapp|telegram|linkedin|reddit|pinterest|messenger)(?:\s*[|/·•,]?\s*(?:share|tweet|e-?mail|print|facebook|twitter|x|whatsapp|telegram|linkedin|reddit|pinterest|messenger))*\s*:?$": [
        "Share",
        "Share this:",
        "Facebook Twitter WhatsApp Telegram",
        "Tweet | Email | Print",
        "X",
    ],
    r"^[\d.,]+\s*[km]?\s*(?:shares?|comments?|views?)$": ["1.2k shares", "0 comments", "12,408 views"],
    r"^\d+\s*(?:min(?:ute)?s?)\.?\s+read$": ["4 min read", "12 minutes read"],
    r"^(?:advertisement|sponsored content|paid content)\s*[-–:|]?\s*(?:\d+|scroll to continue(?: with content)?|continue reading below)?$": [
        "Advertisement 2",
        "Advertisement - Scroll to continue with content",
        "Sponsored content",
    ],
    r"^(?:story|article) continues below(?: this)? (?:advertisement|ad)$": ["Story continues below advertisement", "Article continues below this ad"],
    r"^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))": ["© 2025 The Harbour Ledger.", "Copyright © 2025 Valley Post Media Ltd", "(c) 2024 Lakeside Gazette"],
    r"all\s+rights\s+reserved\.?$": ["Lakeside Gazette 2024. All rights reserved."],
    r"^(?:sign\s+up|subscribe)\b.{0,80}\b(?:newsletters?|briefing|inbox|e-?mails?|updates)\b": [
        "Sign up for our daily briefing to get the top local stories in your inbox.",
        "Subscribe to our newsletter",
    ],
    r"^follow\s+(?:us|[\w.'’ ]{1,40})\s+on\s+(?:facebook|twitter|x|instagram|telegram|whatsapp|youtube|tiktok|linkedin|threads|google news)\b": [
        "Follow The Valley Post on X",
        "Follow us on Google News",
    ],
    r"^(?:this\s+(?:web)?site\s+uses\s+cookies|by\s+continuing\s+to\s+(?:browse|use)\b.*\bcookies)": [
        "This website uses cookies and similar technologies to personalise content.",
        "By continuing to browse you agree to our use of cookies.",
    ],
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4}(?:,?\s+\d{1,2}[:.]\d{2}\s*(?:am|pm)?(?:\s+[a-z]{2,4})?)?$": [
        "Thursday 9 January 2025, 4:20pm",
        "November 28, 2024",
        "Dec 20, 2024 10:15 IST",
    ],
    r"^\(?(?:additional\s+)?reporting\s+by\s+[^;]{2,80};\s*(?:writing|editing)\s+by\s+.{2,80}$": [
        "Reporting by Owen Hale; Editing by Priya Raman",
        "(Reporting by Mara Lindqvist; Writing by Tomas Rehn)",
    ],
}

# Story lines (from the fixtures, and the kind of lines the rules must leave alone).
STORY_LINES = [
    "The covered market reopened on Monday, eleven weeks after flood water filled its lower hall, though a third of the stalls are still empty.",
    "“We have lost a season, but we have not lost our customers,” said Anneli Voss, who has sold cheese in the hall for 26 years.",
    "Repair Bill",
    "‘Empty Pitches’",
    "Walkout Follows Months of Talks",
    "What Comes Next",
    "Who Uses the Service",
    "Advertising revenue at the newspaper fell by a fifth last year.",
    "Share prices in shipping firms dropped after the walkout.",
    "Photographers were kept away from the terminal gates.",
    "Subscribers to the council's alerts were told about the closure on Friday.",
    "By Friday, the union had collected 900 signatures.",
    "Copyright lawyers said the case could take years.",
    "Reporting by the Courier found that 41 pitches were empty.",
    "Updates on the strike will follow.",
    "The minister said the port – the country's second largest – would stay open.",
    "Gaza – The Numbers Behind the Talks",
    "Officials said the structure, which opened in 1931 and carries about 38,000 vehicles a day, remained safe.",
    "(The council later corrected its figures.)",
    "Home owners in the valley were offered grants of up to 3,000 pounds.",
    "Email records show the decision was taken in January.",
    "Search teams worked through the night.",
]


def _all_default_rules() -> list[tuple[str, str]]:
    rules = default_rules()
    return [("exact", r) for r in rules.exact] + [("prefix", r) for r in rules.prefixes] + [("pattern", r) for r in rules.patterns]


def test_every_default_rule_has_examples():
    rules = default_rules()
    missing = [r for r in [*rules.prefixes, *rules.patterns] if r not in DEFAULT_RULE_EXAMPLES]
    stale = [r for r in DEFAULT_RULE_EXAMPLES if r not in rules.prefixes and r not in rules.patterns]
    assert not missing, f"add examples to DEFAULT_RULE_EXAMPLES for {missing}"
    assert not stale, f"rules no longer shipped: {stale}"


@pytest.mark.parametrize("kind,rule", _all_default_rules(), ids=lambda value: str(value)[:40])
def test_default_rule(kind: str, rule: str):
    """Each shipped rule, on its own, removes its examples; and the full defaults remove them too."""
    if kind == "exact":
        examples = [rule, rule.upper(), f"{rule.lower()}:", f"» {rule} «", f"  {rule}  "]
        alone = CleaningRules(exact=[rule], use_defaults=False)
        expected = f'exact "{rule}"'
    elif kind == "prefix":
        examples = DEFAULT_RULE_EXAMPLES[rule]
        alone = CleaningRules(prefixes=[rule], use_defaults=False)
        expected = f'prefix "{rule}"'
    else:
        examples = DEFAULT_RULE_EXAMPLES[rule]
        alone = CleaningRules(patterns=[rule], use_defaults=False)
        expected = f'pattern "{rule}"'
    for example in examples:
        assert match_rule(example, alone) == expected, example
        assert match_rule(example, DEFAULTS) is not None, example


@pytest.mark.parametrize("line", STORY_LINES)
def test_default_rules_leave_story_lines_alone(line: str):
    assert match_rule(line, DEFAULTS) is None


def test_rules_file_is_plain_lists_and_patterns_compile():
    rules = default_rules()
    assert rules.exact and rules.prefixes and rules.patterns
    assert validate_rules(rules) == []
    assert all(isinstance(r, str) and r.strip() == r for r in rules.exact)
    assert all(isinstance(r, str) and r.lstrip() == r and r.strip() for r in rules.prefixes)


def test_default_rules_returns_a_fresh_copy():
    rules = default_rules()
    rules.exact.append("Mutated")
    assert "Mutated" not in default_rules().exact


# ---------------------------------------------------------------- site rules


def test_effective_rules_adds_site_rules_to_defaults():
    site = CleaningRules(exact=["Tap to listen"], prefixes=["Podcast:"], patterns=[r"^Episode \d+$"])
    rules = effective_rules(site)
    assert "Source link" in rules.exact and "Tap to listen" in rules.exact
    assert "Podcast:" in rules.prefixes and r"^Episode \d+$" in rules.patterns
    assert rules.use_defaults is False
    assert effective_rules(rules) == rules  # self-contained: applying it again changes nothing


def test_effective_rules_without_defaults():
    site = CleaningRules(exact=["Tap to listen"], use_defaults=False)
    rules = effective_rules(site)
    assert rules.exact == ["Tap to listen"] and rules.prefixes == [] and rules.patterns == []


def test_effective_rules_drop_duplicates():
    rules = effective_rules(CleaningRules(exact=["source link", "Source link"]))
    assert [r.casefold() for r in rules.exact].count("source link") == 1


def test_site_rules_extend_cleaning():
    text = "Tap to listen\n\nEpisode 12\n\nPodcast: the night bus debate\n\nThe council met on Monday to vote on the night buses.\n"
    plain = clean_text(text, CleaningRules(), title="Night buses")
    assert [b.text for b in plain.blocks][-1] == "The council met on Monday to vote on the night buses."
    assert len(plain.blocks) == 4
    site = CleaningRules(exact=["tap to listen"], prefixes=["podcast:"], patterns=[r"^episode \d+$"])
    cleaned = clean_text(text, site, title="Night buses")
    assert [b.text for b in cleaned.blocks] == ["The council met on Monday to vote on the night buses."]
    assert {r.rule for r in cleaned.removed} == {'exact "tap to listen"', 'prefix "podcast:"', 'pattern "^episode \\d+$"'}


def test_switching_defaults_off_keeps_boilerplate():
    text = "The council met on Monday.\n\nSource link\n\nspot_imgspot_img\n"
    assert [b.text for b in clean_text(text, CleaningRules(), title="T").blocks] == ["The council met on Monday."]
    kept = clean_text(text, CleaningRules(use_defaults=False), title="T")
    assert [b.text for b in kept.blocks] == ["The council met on Monday.", "Source link", "spot_imgspot_img"]


def test_bad_site_pattern_is_reported():
    rules = CleaningRules(patterns=["(unclosed"])
    problems = validate_rules(rules)
    assert len(problems) == 1 and "(unclosed" in str(problems[0])
    with pytest.raises(RuleError):
        clean_text("Some text.", rules)


# ----------------------------------------------------------------- text shapes


def test_copied_article_fixture():
    cleaned = clean_text((FIXTURES / "market-reopens-copied.txt").read_text(encoding="utf-8"), DEFAULTS)
    assert cleaned.title == "Riverside Market Reopens After Summer Floods – Traders Count the Cost"
    assert cleaned.author == "Riverside Courier Staff"
    kinds = [(b.kind, b.text.split()[0]) for b in cleaned.blocks]
    assert kinds == [
        ("paragraph", "The"),
        ("paragraph", "About"),
        ("paragraph", "“We"),
        ("heading", "Repair"),
        ("paragraph", "The"),
        ("paragraph", "Officials"),
        ("heading", "‘Empty"),
        ("paragraph", "Some"),
        ("paragraph", "The"),
    ]
    rules = {r.text: r.rule for r in cleaned.removed}
    assert rules["By Riverside Courier Staff"] == "byline"
    assert rules["Source link"] == 'exact "Source link"'
    assert rules["(RC, local agencies)"].startswith("pattern")
    assert rules["River Wall Upgrade Approved After Years of Delay – City Official"].startswith("pattern")
    assert [r.line for r in cleaned.removed] == sorted(r.line for r in cleaned.removed)
    body = " ".join(b.text for b in cleaned.blocks)
    for junk in ("Wikimedia", "spot_img", "Source link", "Latest articles", "Related articles", "(RC", "By Riverside"):
        assert junk not in body


def test_first_line_paragraph_is_not_a_title():
    cleaned = clean_text((FIXTURES / "dock-strike-copied.txt").read_text(encoding="utf-8"), DEFAULTS)
    assert cleaned.title == ""
    assert cleaned.blocks[0].text.startswith("Rotterdam: Dock workers")
    assert [b.text for b in cleaned.blocks if b.kind == "heading"] == ["Walkout Follows Months of Talks", "Impact on Shippers", "What Comes Next"]
    assert [r.rule for r in cleaned.removed] == ['prefix "Also Read |"']


def test_hard_wrapped_text_banners_and_headline_lists():
    cleaned = clean_text((FIXTURES / "night-buses-wrapped.txt").read_text(encoding="utf-8"), DEFAULTS)
    assert cleaned.title == "Council Votes to Keep Night Buses Running"
    assert cleaned.author == "Lena Hart"
    assert [b.kind for b in cleaned.blocks] == ["paragraph", "paragraph", "heading", "paragraph", "paragraph"]
    assert cleaned.blocks[0].text.endswith("voted 31 to 12 on Monday to find the money from the parking budget.")
    assert cleaned.blocks[0].line == 12
    listed = [r.text for r in cleaned.removed if r.rule == "headline list after boilerplate"]
    assert listed == ["Library to Open on Sundays From March", "Road Repairs Planned for Mill Lane", "Mayor Outlines Plans for New Swimming Pool"]
    assert cleaned.blocks[-1].text == "The vote ends a six-month campaign by bus drivers and the student union."


def test_title_line_directly_above_the_text_is_not_joined_to_it():
    text = "Night buses saved after a long campaign by staff and unions\nCouncillors voted 31 to 12 on Monday to keep the four busiest routes running\nuntil next spring.\n"
    cleaned = clean_text(text, DEFAULTS)
    assert cleaned.title == "Night buses saved after a long campaign by staff and unions"
    assert [b.text for b in cleaned.blocks] == ["Councillors voted 31 to 12 on Monday to keep the four busiest routes running until next spring."]


def test_given_title_drops_the_repeated_first_line():
    text = "Council Votes to Keep Night Buses Running\n\nThe vote was 31 to 12.\n"
    cleaned = clean_text(text, DEFAULTS, title="Council votes to keep night buses running")
    assert [b.text for b in cleaned.blocks] == ["The vote was 31 to 12."]
    assert cleaned.removed[0].rule == "repeated title"
    assert cleaned.title == "Council votes to keep night buses running"
    other = clean_text("Night Service Saved\n\nThe vote was 31 to 12.\n", DEFAULTS, title="Council votes to keep night buses")
    assert [b.kind for b in other.blocks] == ["heading", "paragraph"]  # a different line stays


def test_a_first_paragraph_that_begins_with_the_title_is_kept():
    text = "Fares will rise by 4 percent in April, the operator said on Monday.\n\nThe rise is the first in three years.\n"
    cleaned = clean_text(text, DEFAULTS, title="Fares will rise")
    assert len(cleaned.blocks) == 2 and cleaned.removed == []
    units = [Unit(0, "Fares will rise by 4 percent in April, the operator said on Monday.", None)]
    assert len(clean_units(units, DEFAULTS, title="Fares will rise by 4 percent in April").blocks) == 1


def test_title_with_site_suffix_counts_as_repeated():
    cleaned = clean_text("Fares Will Rise | The Harbour Ledger\n\nThe rise is the first in three years.\n", DEFAULTS, title="Fares will rise")
    assert [r.rule for r in cleaned.removed] == ["repeated title"]


def test_subheading_needs_a_following_paragraph():
    text = "Title Line Here\n\nFirst paragraph of the story, long enough to be one.\n\nFinal Thoughts\n"
    cleaned = clean_text(text, DEFAULTS)
    assert [(b.kind, b.text) for b in cleaned.blocks] == [
        ("paragraph", "First paragraph of the story, long enough to be one."),
        ("paragraph", "Final Thoughts"),
    ]


def test_lowercase_short_line_stays_a_paragraph():
    cleaned = clean_text("A Title\n\nthe talks went on\n\nThe delegation left on Friday.\n", DEFAULTS)
    assert [b.kind for b in cleaned.blocks] == ["paragraph", "paragraph"]


@pytest.mark.parametrize(
    "line,author",
    [
        ("By Palestine Gazette Staff", "Palestine Gazette Staff"),
        ("By Priya Raman and Owen Hale", "Priya Raman and Owen Hale"),
        ("BY MARA LINDQVIST", "MARA LINDQVIST"),
        ("By Lena Hart | Updated: 3 Feb 2025, 18:05 CET", "Lena Hart"),
        ("By Tomas Rehn, Reuters", "Tomas Rehn"),
        ("Written by Anneli Voss", "Anneli Voss"),
        ("**By Lena Hart**", "Lena Hart"),
        ("By Friday, the union had collected 900 signatures.", None),
        ("By the time the ferry arrived, the gates were shut.", None),
        ("By Hamas, Israel means the whole movement and its allies.", None),
        ("By 2030 the bridge will need replacing", None),
        ("Bystanders said the crane had stopped.", None),
    ],
)
def test_bylines(line: str, author: str | None):
    assert byline_author(line) == author


def test_only_the_first_byline_sets_the_author():
    cleaned = clean_text("A Title\n\nBy Lena Hart\n\nThe vote was held.\n\nBy Owen Hale\n", DEFAULTS)
    assert cleaned.author == "Lena Hart"
    assert [r.rule for r in cleaned.removed] == ["title", "byline", "byline"]


def test_units_from_a_page_keep_their_kinds():
    units = [
        Unit(0, "Ferry Operator Adds Winter Sailings", "heading"),
        Unit(0, "By Gazette Staff"),
        Unit(0, "Island residents will get four extra crossings a week.", None),
        Unit(0, "Fares Unchanged", "heading"),
        Unit(0, "Fares stay at the summer level.", "paragraph"),
        Unit(0, "Share this:"),
    ]
    cleaned = clean_units(units, DEFAULTS, title="Ferry operator adds winter sailings")
    assert [(b.kind, b.text) for b in cleaned.blocks] == [
        ("paragraph", "Island residents will get four extra crossings a week."),
        ("heading", "Fares Unchanged"),
        ("paragraph", "Fares stay at the summer level."),
    ]
    assert [r.rule for r in cleaned.removed][:2] == ["repeated title", "byline"]


def test_empty_and_blank_text():
    assert clean_text("", DEFAULTS) == Cleaned("", "", [], [])
    assert clean_text("\n\n   \n", DEFAULTS).blocks == []


def test_windows_newlines_and_nbsp():
    cleaned = clean_text("A Title\r\n\r\nThe\u00a0vote was held.\r\n\r\nSource link\r\n", DEFAULTS)
    assert [b.text for b in cleaned.blocks] == ["The vote was held."]


# ------------------------------------------------------------------- markdown

md = MarkdownIt("commonmark", {"html": False})
md_html = MarkdownIt("commonmark", {"html": True})


@pytest.mark.parametrize(
    "text",
    [
        "Plain sentence with 445,581 ballots.",
        "<script>alert('x')</script> and <b>bold</b>",
        "A *starred* and _underscored_ word, `code` and [a link](https://example.org).",
        "# not a heading",
        "1. not a list",
        "- not a bullet",
        "+ not a bullet either",
        "> not a quote",
        "AT&amp;T &#169; &copy;",
        "back\\slash and ~~strike~~",
        "---",
        "=",
        "2024. A year of talks",
        "![image](x.png)",
        "<https://example.org>",
    ],
)
def test_escaped_paragraphs_render_as_the_same_text(text: str):
    cleaned = Cleaned("T", "", [], [])
    from digest.cleaning import Block

    cleaned.blocks = [Block("paragraph", text)]
    source = clean_blocks_markdown(cleaned)
    for parser in (md, md_html):
        tokens = parser.parse(source)
        assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], source
        rendered = parser.render(source)
        assert "<script" not in rendered and "<b>" not in rendered and "<a " not in rendered and "<img" not in rendered
        inline = tokens[1]
        assert "".join(child.content for child in inline.children if child.type == "text") == text, source


def test_markdown_body_has_subheadings():
    from digest.cleaning import Block

    cleaned = Cleaned("T", "", [Block("paragraph", "First."), Block("heading", "Fares Unchanged #1 #"), Block("paragraph", "Second.")], [])
    source = clean_blocks_markdown(cleaned)
    assert source == "First.\n\n## Fares Unchanged #1 \\#\n\nSecond.\n"
    tokens = md.parse(source)
    heading = [t for t in tokens if t.type == "inline"][1]
    assert heading.content.replace("\\", "") == "Fares Unchanged #1 #"
    assert md.render(source).count("<h2>") == 1


def test_escape_markdown_is_plain_for_plain_text():
    assert escape_markdown("Officials counted 445,581 ballots, and 108,438 were spoiled (about 24%).") == (
        "Officials counted 445,581 ballots, and 108,438 were spoiled (about 24%)."
    )


# ---------------------------------------------------------------------- seeds


def _seed_files() -> list[Path]:
    if not SEEDS.is_dir():
        return []
    return sorted(SEEDS.glob("*.txt"))


def _story_lines(text: str) -> list[str]:
    """Lines of a seed that are story paragraphs: long and ending a sentence."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return [line for line in lines if len(line.split()) >= 12 and re.search(r"[.!?][\"”’]?$", line) and "(Photo" not in line]


@pytest.mark.skipif(not _seed_files(), reason="shared/seeds not available")
@pytest.mark.parametrize("seed", _seed_files(), ids=lambda p: p.name)
def test_seed_keeps_every_story_paragraph_and_no_boilerplate(seed: Path):
    text = seed.read_text(encoding="utf-8")
    cleaned = clean_text(text, DEFAULTS)
    kept = [b.text for b in cleaned.blocks]
    for line in _story_lines(text):
        assert line in kept, line
    body = "\n".join(kept)
    for junk in ("Source link", "Latest articles", "Related articles", "spot_img", "Also Read", "Wikimedia Commons", "(PC,"):
        assert junk not in body
    assert not any(b.text.startswith("By ") for b in cleaned.blocks)
    for block in cleaned.blocks:
        if block.kind == "heading":
            assert len(block.text.split()) <= 12 and not block.text.endswith(".")
