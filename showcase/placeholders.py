"""What `python build.py new story|project|page` writes for the editor to replace, and what of it a file still has.

Nothing unfinished goes live: in an item a real build publishes (a story or page that is not a draft, and every
project, which cannot be a draft) each placeholder left is an error at its line (publishing.py says so); in a draft
`check` lists what is left to do in its note. cli.py fills its scaffolds with these texts.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import Page, Project, Story

# a story (the names are older than pages and projects: warm.py and cli.py use them)
PLACEHOLDER_SUMMARY = "One or two plain sentences saying what this story is about."
PLACEHOLDER_AUTHOR = "Your name"
PLACEHOLDER_BODY = "Write the story here in Markdown."
# a project
PROJECT_SUMMARY = "One or two plain sentences about this strand of work."
PROJECT_DESCRIPTION = "A longer description in Markdown."
# a page
PAGE_SUMMARY = "One sentence about this page."
PAGE_BODY = "Write the page here in Markdown."


@dataclass(frozen=True)
class Leftover:
    """A placeholder still in a file: where (a field of the front matter, or `text` to look for in the file when
    it is in the Markdown after it), what the note of a draft calls it, and the error's message."""

    what: str
    message: str
    loc: tuple = ()
    text: str | None = None  # in the text after the front matter: the line that has it is the error's


def leftovers(item: Story | Page | Project) -> list[Leftover]:
    """Each placeholder of `new` that `item` still has."""
    if isinstance(item, Story):
        return _story(item)
    summary, body = (PAGE_SUMMARY, PAGE_BODY) if isinstance(item, Page) else (PROJECT_SUMMARY, None)
    found = []
    if summary in (item.meta.summary or ""):
        kind = "this page" if isinstance(item, Page) else "the project"
        found.append(Leftover("summary", f"summary still has the placeholder text from `new`; write one or two plain "
                                         f"sentences about {kind}", ("summary",)))
    if isinstance(item, Project) and PROJECT_DESCRIPTION in (item.meta.description or ""):
        found.append(Leftover("description", "description still has the placeholder text from `new`; describe the "
                                             "project in a few sentences, or remove description", ("description",)))
    if isinstance(item, Page) and body in item.body.html:
        found.append(Leftover("the page", f"the page still has the placeholder text from `new` ('{body} ...'); "
                                          "replace it with the page's text", text=body))
    return found


def _story(story: Story) -> list[Leftover]:
    found = []
    if PLACEHOLDER_SUMMARY in story.meta.summary:
        found.append(Leftover("summary", "summary still has the placeholder text from `new`; write a one-sentence "
                                         "summary", ("summary",)))
    for index, author in enumerate(story.meta.authors):
        if author.name.strip() == PLACEHOLDER_AUTHOR:
            found.append(Leftover("authors", f"authors still has the placeholder '{PLACEHOLDER_AUTHOR}' from `new`; "
                                             "write the author's name (with display: initials or display: anonymous "
                                             "if they prefer)", ("authors", index)))
    if PLACEHOLDER_BODY in story.body.html:
        found.append(Leftover("the story", f"the story still has the placeholder text from `new` ('{PLACEHOLDER_BODY}"
                                           " ...'); replace it with the story", text=PLACEHOLDER_BODY))
    return found
