"""The HTML report and the changelog page in a real browser: headless Chromium (Debian's package),
driven through its DevTools protocol (tests/browser.py). Skipped where Chromium is not installed.

Screenshots of the seed report and of the GitHub v1 -> v4 report are kept in tests/artifacts/
(not goldens, and not committed) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser import Browser, chromium_binary
from conftest import ROOT, SEED_NEW, SEED_OLD, git, run_cli

ARTIFACTS = ROOT / "tests" / "artifacts"
BINARY = chromium_binary()
pytestmark = pytest.mark.skipif(BINARY is None, reason="no chromium (apt-get install chromium)")

#: every link of the table of contents, followed by a click: the ids it fails on
FOLLOW_LINKS = """(async () => {
  const failed = [];
  for (const link of document.querySelectorAll('nav a[href^="#"]')) {
    const id = decodeURIComponent(link.getAttribute('href').slice(1));
    const target = document.getElementById(id);
    if (!target) { failed.push(id + ': no such id'); continue; }
    window.scrollTo(0, 0);
    link.click();
    await new Promise(done => requestAnimationFrame(() => done()));
    const top = target.getBoundingClientRect().top;
    const atBottom = window.scrollY + window.innerHeight >=
                     document.documentElement.scrollHeight - 2;
    if (location.hash !== '#' + id) failed.push(id + ': address ' + location.hash);
    else if ((top < -1 || top > 16) && !atBottom) failed.push(id + ': lands at ' + top);
  }
  return failed;
})()"""

#: the changes a reader can see, by severity
VISIBLE = """(() => {
  const seen = {breaking: 0, dangerous: 0, safe: 0, info: 0};
  // records, not the consequences nested under a reference swap
  for (const item of document.querySelectorAll('main ul.changes:not(.consequences) > li'))
    for (const name of Object.keys(seen))
      if (item.classList.contains(name) && item.checkVisibility()) seen[name]++;
  return seen;
})()"""

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture(scope="module")
def browser():
    page = Browser(BINARY)
    yield page
    page.close()


def html_report(folder: Path, old: str, new: str, name: str = "report.html") -> Path:
    path = folder / name
    result = run_cli("diff", old, new, "--format", "html", "--output", str(path))
    assert result.returncode in (0, 1), result.stderr
    return path


def fresh(browser: Browser) -> Browser:
    browser.events.clear()
    return browser


def check_loads_cleanly(browser: Browser, page: Path) -> None:
    """No console error, no request but the page itself, no horizontal scrolling at 1400 and
    400 px wide."""
    for width in (1400, 400):
        fresh(browser).open(page, width)
        assert browser.problems() == []
        assert browser.requests() == [page.resolve().as_uri()]
        assert browser.evaluate(OVERFLOW) <= 0, f"wider than the window at {width} px"


def test_seed_report_loads_cleanly_and_fits_a_narrow_screen(browser, tmp_path):
    page = html_report(tmp_path, SEED_OLD, SEED_NEW)
    check_loads_cleanly(browser, page)
    browser.open(page, 1400)
    browser.screenshot(ARTIFACTS / "seed-1400.png")
    sizes = browser.evaluate("""[...['body', 'h1', 'h2', 'h3', 'h4', 'main li']].map(
        s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))""")
    body, h1, h2, h3, h4, text = sizes
    assert h1 > h2 > h3 > h4 > body and h4 > text, sizes
    browser.open(page, 400)
    browser.screenshot(ARTIFACTS / "seed-400.png")


def test_severity_filter_hides_safe_and_info_without_script(browser, tmp_path):
    page = html_report(tmp_path, SEED_OLD, SEED_NEW)
    fresh(browser).open(page, 1400)
    assert "<script" not in page.read_text()
    shown = browser.evaluate(VISIBLE)
    assert shown["breaking"] == 2 and shown["dangerous"] == 3
    assert browser.evaluate("document.querySelector('#rest details summary').checkVisibility()")
    browser.click("label[for=show-risky]")
    assert browser.evaluate(VISIBLE) == {"breaking": 2, "dangerous": 3, "safe": 0, "info": 0}
    assert not browser.evaluate("document.querySelector('#rest').checkVisibility()")
    assert not browser.evaluate("document.querySelector('nav .rest').checkVisibility()")
    browser.click("label[for=show-breaking]")
    assert browser.evaluate(VISIBLE) == {"breaking": 2, "dangerous": 0, "safe": 0, "info": 0}
    browser.click("label[for=show-all]")
    assert browser.evaluate("document.querySelector('#rest details summary').checkVisibility()")
    assert browser.problems() == []


def test_every_table_of_contents_link_lands_on_its_section(browser, tmp_path):
    page = html_report(tmp_path, SEED_OLD, SEED_NEW)
    fresh(browser).open(page, 1400)
    links = browser.evaluate("document.querySelectorAll('nav a[href^=\"#\"]').length")
    assert links == 2 + 3 + 17 + 1  # two parts, 3 resources with breaks, 17 with others, how to pass
    assert browser.evaluate(FOLLOW_LINKS) == []


def test_an_endpoint_has_an_address(browser, tmp_path):
    page = html_report(tmp_path, SEED_OLD, SEED_NEW)
    fresh(browser).open(page, 1400)
    anchor = browser.evaluate("document.querySelector('h4 a').getAttribute('href')")
    assert anchor == "#r-formation--patch-apps-app-identity-formation"
    browser.call("Page.navigate", url=page.resolve().as_uri() + anchor)
    assert abs(browser.evaluate(f"document.querySelector('{anchor}').getBoundingClientRect().top")) < 16


def test_source_lines_of_both_versions_side_by_side(browser, tmp_path):
    page = html_report(tmp_path, SEED_OLD, SEED_NEW)
    fresh(browser).open(page, 1400)
    browser.click("#r-formation details.source > summary")
    sides = browser.evaluate("""[...document.querySelectorAll('#r-formation details.source')[0]
        .querySelectorAll('.side')].map(side => ({
            head: side.querySelector('.head').textContent,
            here: side.querySelector('.here').textContent,
            left: Math.round(side.getBoundingClientRect().left)}))""")
    old, new = sides
    assert (old["head"], new["head"]) == ("old", "new")       # the file is named once, above
    assert new["here"].startswith(":4120") and '"properties": {' in new["here"]
    assert old["here"].startswith(":1")                       # 0.5.0 is minified: one line
    assert new["left"] > old["left"]                          # side by side at 1400 px
    assert browser.problems() == []


def test_print_expands_the_examples(browser, tmp_path):
    page = html_report(tmp_path, SEED_OLD, SEED_NEW)
    count = "[...document.querySelectorAll('details.example pre')].filter(e => e.checkVisibility()).length"
    fresh(browser).open(page, 1400)
    assert browser.evaluate(count) == 0
    browser.open(page, 1400, media="print")
    assert browser.evaluate(count) == page.read_text().count('<details class="example">') > 0


def test_dark_mode_follows_the_system(browser, tmp_path):
    page = html_report(tmp_path, SEED_OLD, SEED_NEW)
    background = "getComputedStyle(document.body).backgroundColor"
    fresh(browser).open(page, 1400)
    assert browser.evaluate(background) == "rgb(255, 255, 255)"
    browser.call("Emulation.setEmulatedMedia",
                 features=[{"name": "prefers-color-scheme", "value": "dark"}])
    assert browser.evaluate(background) == "rgb(13, 17, 23)"
    browser.call("Emulation.setEmulatedMedia", features=[])


def test_changelog_page_loads_cleanly(browser, tmp_path):
    repo = tmp_path / "api"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for tag, source in (("v0.5.0", SEED_OLD), ("v0.6.0", SEED_NEW)):
        (repo / "schema.json").write_bytes((ROOT / source).read_bytes())
        git(repo, "add", ".")
        git(repo, "commit", "-qm", tag, date="2016-03-09")
        git(repo, "tag", tag)
    page = tmp_path / "changelog.html"
    result = run_cli("changelog", "schema.json", "--repo", str(repo), "--format", "html",
                     "--output", str(page), cwd=repo)
    assert result.returncode == 0, result.stderr
    check_loads_cleanly(browser, page)
    assert browser.evaluate("document.querySelectorAll('section').length") >= 2


#: the GitHub v1 -> v4 page is 4 MB and 2,133 changes (25 s here): in CI (SCHEMADIFF_HEAVY=1)
HEAVY = os.environ.get("SCHEMADIFF_HEAVY") == "1"


@pytest.mark.skipif(not HEAVY, reason="the 4 MB GitHub page runs with SCHEMADIFF_HEAVY=1")
def test_github_v1_to_v4_report(browser, tmp_path, shared):
    folder = shared / "corpora" / "github"
    page = html_report(tmp_path, str(folder / "api.github.com.v1.0.0.json"),
                       str(folder / "api.github.com.v4.0.0.json"))
    fresh(browser).open(page, 1400)
    assert browser.problems() == [] and browser.requests() == [page.resolve().as_uri()]
    assert browser.evaluate(OVERFLOW) <= 0
    browser.screenshot(ARTIFACTS / "github-v1-v4-1400.png")
    height = browser.evaluate("document.documentElement.scrollHeight")
    first_screen = browser.evaluate("""[...document.querySelectorAll('main ul.changes > li')]
        .filter(e => e.getBoundingClientRect().top < window.innerHeight && e.checkVisibility())
        .map(e => e.classList[0])""")
    assert first_screen and set(first_screen) == {"breaking"}   # the breaks first
    assert browser.evaluate(FOLLOW_LINKS) == []
    browser.click("label[for=show-risky]")
    counts = browser.evaluate("[...document.querySelectorAll('.summary td')].map(td => +td.textContent)")
    assert counts[0] > 80 and counts[1] > 40   # from the page's own table of counts
    assert browser.evaluate(VISIBLE) == {"breaking": counts[0], "dangerous": counts[1], "safe": 0,
                                         "info": 0}
    browser.screenshot(ARTIFACTS / "github-v1-v4-breaking-and-dangerous-1400.png")
    browser.click("label[for=show-all]")
    browser.resize(400)
    assert browser.evaluate(OVERFLOW) <= 0, "wider than a 400 px screen"
    browser.evaluate("window.scrollTo(0, 0)")
    browser.screenshot(ARTIFACTS / "github-v1-v4-400.png")
    assert browser.problems() == []
    (ARTIFACTS / "github-v1-v4-figures.txt").write_text(
        f"page height at 1400 px: {height} px\n", encoding="utf-8")
