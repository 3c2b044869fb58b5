"""Help while writing: JSON Schemas for editors, machine-readable checks, and scaffolds."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from sitekit import REPO, Site
from showcase.cli import main
from showcase.sources import split_front_matter


def plain(data):
    return json.loads(json.dumps(data, default=str))  # dates as the strings YAML editors type


def test_schemas_accept_the_example_content_and_reject_mistakes(tmp_path: Path, capsys):
    assert main(["schema", "--out", str(tmp_path)]) == 0
    written = capsys.readouterr().out.split()
    assert len(written) == 9
    schemas = {p.name: json.loads(p.read_text()) for p in tmp_path.glob("*.json")}
    content = REPO / "content"
    checks = [("site.schema.json", [content / "site.yaml"]),
              ("project.schema.json", sorted(content.glob("projects/*.yaml"))),
              ("artwork.schema.json", sorted(content.glob("artworks/*.yaml"))),
              ("person.schema.json", sorted(content.glob("people/*.yaml"))),
              ("media.schema.json", sorted(content.glob("media/*.yaml"))),
              ("exhibition.schema.json", sorted(content.glob("exhibitions/*.yaml")))]
    for name, paths in checks:
        assert paths, name
        for path in paths:
            jsonschema.validate(plain(yaml.safe_load(path.read_text())), schemas[name])
    for name, folder in (("story.schema.json", "stories"), ("report.schema.json", "reports"), ("page.schema.json", "pages"),
                         ("exhibition.schema.json", "exhibitions")):
        for path in sorted(content.glob(f"{folder}/*.md")):
            jsonschema.validate(plain(split_front_matter(path.read_text()).front_matter.data), schemas[name])
    story = schemas["story.schema.json"]
    assert story["required"] == ["title", "date", "summary", "authors", "consent"]
    bad = {"title": "x", "date": "2015-01-01", "summary": "s", "authors": ["A"], "consent": "recorded", "sumary": "typo"}
    try:
        jsonschema.validate(bad, story)
        raise AssertionError("an unknown field passed the schema")
    except jsonschema.ValidationError as error:
        assert "sumary" in error.message


def test_check_as_github_annotations_and_json(site: Site, capsys):
    path = site.content / "stories/first-light.md"
    path.write_text(path.read_text().replace("project: clay", "project: nope"))
    assert main(["check", "--content", str(site.content), "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert "::error file=" in out and "first-light.md,line=9,col=1::project 'nope' does not exist" in out
    assert main(["check", "--content", str(site.content), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == 1
    problem = data["problems"][0]
    assert problem["file"].endswith("stories/first-light.md") and problem["line"] == 9 and problem["severity"] == "error"


def test_new_story_has_today_a_slug_and_every_required_field(site: Site, capsys):
    import datetime as dt

    from showcase.content_models import StoryMeta

    assert main(["new", "story", "Clay on Tuesdays", "--content", str(site.content)]) == 0
    path = Path(capsys.readouterr().out.strip())
    meta = split_front_matter(path.read_text()).front_matter.data
    assert meta["date"] == dt.date.today() and path.stem == "clay-on-tuesdays"
    StoryMeta.model_validate(meta)  # every required field is there, with a placeholder


def test_schemas_say_what_the_build_says(tmp_path: Path, capsys):
    """Where the build accepts or refuses a value, an editor's tool checking the file with the schema does the same:
    a figure written as a number, a licence by any of its names, addresses of unsafe schemes, text of spaces."""
    from showcase.schema import schema

    site, report = schema("site.schema.json"), schema("report.schema.json")
    base = {"title": "T", "description": "D", "language": "en"}

    def passes(data: dict, against: dict) -> bool:
        return not list(jsonschema.Draft202012Validator(against).iter_errors(data))

    assert passes({"title": "R", "date": "2019-01-01", "key_figures": [{"value": 42, "label": "people"}]}, report)
    for name in ("CC-BY-NC-4.0", "cc by nc 4.0", "CC0", "InC", "https://creativecommons.org/licenses/by-nc/4.0/"):
        assert passes({**base, "licence": name}, site), name
    for name in ("MIT", "CC-BY-9.0", "all rights reserved"):
        assert not passes({**base, "licence": name}, site), name
    assert passes({**base, "support": [{"name": "x", "url": "https://x.org/"}]}, site)
    assert not passes({**base, "support": [{"name": "x", "url": "javascript:alert(1)"}]}, site)
    assert not passes({**base, "title": "   "}, site)
    assert not passes({**base, "editor": {"backend": "github", "repo": "a/b", "repository": "a/b"}}, site)
    assert passes({**base, "editor": {"backend": "github", "repository": "a/b"}}, site)


def test_schema_refuses_to_write_into_a_content_folder_or_over_a_file(site: Site, tmp_path: Path, capsys):
    before = {p for p in site.content.rglob("*")}
    for out in (site.content, site.content / "stories", site.content / "stories/new-folder"):
        assert main(["schema", "--out", str(out)]) == 2
        assert "is inside the content folder" in capsys.readouterr().err
    assert {p for p in site.content.rglob("*")} == before
    (tmp_path / "afile").write_text("x")
    assert main(["schema", "--out", str(tmp_path / "afile")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert main(["check", "--content", str(tmp_path / "afile")]) == 1
    assert "this is a file, not the content folder" in capsys.readouterr().err
