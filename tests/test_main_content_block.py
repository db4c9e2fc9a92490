"""The main content cut to the article's block when the extractor returned the whole page.

The pages are built here: a menu of links, an article of long paragraphs with a signature,
a sidebar, a footer. The expected lines are the article's as the page holds them.
"""

from __future__ import annotations

import lxml.html

from extraction.listing import teaser_cards, without_closing_teasers
from extraction.main_content import within_article_block, without_closing_actions

MENU = ["Home", "About us", "News", "Documents", "Staff", "Contacts"]
PROSE = [
    "On 15 January 2015 the ministers of the member states met in Bishkek to discuss the plan of joint "
    "exercises for the year and the budget of the secretariat.",
    "The participants agreed to hold the next meeting in Minsk in the spring and to invite observers from "
    "the partner organizations of the region to take part in it.",
]
SIGNATURE = "Press service of the Secretariat"
FOOTER = "© 2003-2025 The Organization. All rights reserved."
SOURCE = "Source: the Secretariat's press office"


def page(layout: str) -> lxml.html.HtmlElement:
    menu = "".join(f'<li><a href="/{item.lower().replace(" ", "-")}/">{item}</a></li>' for item in MENU)
    article = "".join(f"<p>{text}</p>" for text in PROSE) + f"<p><i>{SIGNATURE}</i></p>"
    if layout == "tables":
        html = (
            f"<table><tr><td><table>{''.join(f'<tr><td>• {m}</td></tr>' for m in menu.split('</li>'))}</table></td>"
            f'<td><table><tr><td class="text">{article}</td></tr></table></td></tr>'
            f"<tr><td colspan=2>{FOOTER}</td></tr></table>"
        )
    else:
        html = (
            f"<header><nav><ul>{menu}</ul></nav></header><main><article>{article}</article>"
            f"<div class=source><p>{SOURCE}</p></div></main><footer><p>{FOOTER}</p></footer>"
        )
    return lxml.html.document_fromstring(f"<html><body>{html}</body></html>")


def whole_page_text() -> str:
    return "\n\n".join(["\n".join(f"• {item}" for item in MENU), *PROSE, SIGNATURE, FOOTER])


def test_a_whole_page_reading_is_cut_to_the_article_block_on_either_layout():
    for layout in ("tables", "divs"):
        assert within_article_block(page(layout), whole_page_text()) == "\n\n".join([*PROSE, SIGNATURE]), (
            layout
        )


def test_a_reading_without_menu_lines_is_left_as_it_is():
    """The extractor did its job: a source line beside the article's block is the article's."""
    text = "\n\n".join([*PROSE, SIGNATURE, SOURCE])
    assert within_article_block(page("divs"), text) == text


def test_a_phrase_of_the_prose_is_not_inside_the_block_as_a_line_of_its_own():
    menu_lines = "\n".join(MENU)
    text = "\n\n".join([menu_lines, "The ministers of the member states", *PROSE])
    assert within_article_block(page("divs"), text) == "\n\n".join(PROSE)


def _with_links(links: str) -> lxml.html.HtmlElement:
    article = "".join(f"<p>{text}</p>" for text in PROSE)
    return lxml.html.document_fromstring(f"<html><body><article>{article}{links}</article></body></html>")


def test_the_pages_actions_under_the_article_are_not_its_text():
    """Log in to comment, share, print, e-mail: whatever the CMS calls them."""
    cases = {
        '<ul><li><a href="/user/login?destination=/node/1%23comment-form">Log in</a> to post comments</li></ul>': [
            "Log in to post comments"
        ],
        '<div><a href="https://example.org/?share=telegram">Telegram</a> <a href="/node/1/print">Print</a></div>': [
            "Telegram Print"
        ],
        '<p><a href="mailto:?subject=News">E-mail this page</a></p>': ["E-mail this page"],
    }
    for links, closing in cases.items():
        text = "\n".join([*PROSE, *closing])
        assert without_closing_actions(_with_links(links), text) == "\n".join(PROSE), links


def test_an_action_link_inside_the_prose_stays():
    prose = [PROSE[0], "Readers can write to the press office at press@example.org about the meeting."]
    links = '<p>Readers can write to the press office at <a href="mailto:press@example.org">press@example.org</a></p>'
    text = "\n".join(prose)
    assert without_closing_actions(_with_links(links), text) == text


RELATED = [
    (
        "/news/other-story-one/",
        "Ministers of defence met in Minsk for talks",
        "The ministers discussed the plan.",
    ),
    (
        "/news/other-story-two/",
        "A new training centre opened near Bishkek",
        "The centre will train 300 officers.",
    ),
]


def _page_with_related(first_paragraph: str) -> lxml.html.HtmlElement:
    cards = "".join(
        f'<div class="card"><h3><a href="{href}">{headline}</a></h3><p>{summary}</p></div>'
        for href, headline, summary in RELATED
    )
    return lxml.html.document_fromstring(
        f"<html><body><article><h1>Title</h1><p>{first_paragraph}</p><p>{PROSE[1]}</p></article>"
        f"<section><h2>Related</h2>{cards}</section></body></html>"
    )


def test_related_teasers_under_the_article_are_not_its_text():
    """Their headline and the summary under it, whichever of them the extractor kept."""
    root = _page_with_related(PROSE[0])
    cards = teaser_cards(root, "https://example.org/news/this-story/")
    kept = [PROSE[0], PROSE[1]]
    for tail in ([RELATED[0][2], RELATED[1][2]], [RELATED[0][1], RELATED[0][2], RELATED[1][1]]):
        assert without_closing_teasers("\n\n".join(kept + tail), cards) == "\n\n".join(kept), tail


def test_a_closing_paragraph_that_opens_with_a_link_to_another_story_stays():
    linked = f'<a href="/news/other-story-one/">{PROSE[0][:60]}</a>{PROSE[0][60:]}'
    root = _page_with_related(linked)
    body = "\n\n".join([PROSE[1], PROSE[0]])
    assert without_closing_teasers(body, teaser_cards(root, "https://example.org/news/this-story/")) == body


def test_the_page_is_left_as_it_was_by_both_readings():
    """The main content is read from the page's tree that the rest of the reading uses too:
    trafilatura must clean a copy, in its fast reading and in its fuller one."""
    from extraction.main_content import main_text

    for layout in ("html5", "tables"):
        root = page(layout)
        before = lxml.html.tostring(root)
        # a title none of the text holds makes the fast reading fall short: the fuller one runs
        text = main_text(root, title="Quarterly figures of the customs union", description=None)
        assert text is not None and PROSE[0] in text
        assert lxml.html.tostring(root) == before


def test_trafilatura_runs_without_its_recall_escalation_and_is_left_as_shipped(monkeypatch):
    """A short article is where trafilatura's recall escalation would measure the whole
    page's text again (``html2txt``): it is left out of our reading (extraction.main_content
    says why), and trafilatura called by anyone else afterwards runs as shipped."""
    import trafilatura.core as core

    from extraction.main_content import main_text

    shipped = core.ESCALATION_MAX_LENGTH
    measured = []
    monkeypatch.setattr(core, "html2txt", lambda tree, *args, **kwargs: measured.append(tree) or "")
    for layout in ("html5", "tables"):
        text = main_text(page(layout), title=None, description=None)
        assert text is not None and PROSE[0] in text and len(text) < shipped
    assert measured == []
    assert core.ESCALATION_MAX_LENGTH == shipped > 0
