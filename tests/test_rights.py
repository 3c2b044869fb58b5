"""Rights and reuse: an artwork's licence is a Creative Commons licence or a RightsStatements.org statement,
written by its address or short name and published by its canonical address with its name, on the artwork's
label (with rel="license"), in its JSON-LD and in its IIIF manifest; `rights:` in site.yaml is the default for
every artwork that says nothing; without either, nothing is claimed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from sitekit import REPO, Site, make_image, write
from showcase import rights
from showcase.content_models import ArtworkMeta
from showcase.models import SiteConfig

BY_NC = "https://creativecommons.org/licenses/by-nc/4.0/"
BY_NC_NAME = "Creative Commons Attribution-NonCommercial 4.0 International"


def structured(html: str, kind: str) -> dict:
    """The JSON-LD object of a page with this @type."""
    found = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)]
    (data,) = [d for d in found if d.get("@type") == kind]
    return data


def label(html: str) -> str:
    """The artwork's label: the list of details under its title."""
    return re.search(r'<dl class="details">(.*?)</dl>', html, re.DOTALL)[1]


def add_artwork(site: Site, slug: str, extra: str) -> None:
    make_image(site.content / f"artworks/{slug}.jpg", colour=(40, 90, 160))
    write(site.content / f"artworks/{slug}.yaml", f"title: {slug.title()}\nalt: A plain test image.\n{extra}")


# --- how a licence may be written -----------------------------------------------------------------------


@pytest.mark.parametrize("written", [
    BY_NC, "http://creativecommons.org/licenses/by-nc/4.0/", "https://creativecommons.org/licenses/by-nc/4.0",
    "https://creativecommons.org/licenses/by-nc/4.0/legalcode.en",
    "https://creativecommons.org/licenses/by-nc/4.0/deed.cy",
    "CC-BY-NC-4.0", "CC BY-NC 4.0", "cc by-nc 4.0", " CC_BY_NC_4.0 ",
])
def test_a_licence_by_address_or_short_name_is_kept_as_its_canonical_address(written: str):
    meta = ArtworkMeta(title="Bowl", alt="A bowl.", licence=written)
    assert meta.licence == BY_NC
    licence = meta.rights_with(None).licence
    assert (licence.name, licence.short, licence.code) == (BY_NC_NAME, "CC BY-NC 4.0", "CC-BY-NC-4.0")
    assert not licence.statement


@pytest.mark.parametrize("written, uri, name", [
    ("CC0", "https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0 Universal"),
    ("PDM-1.0", "https://creativecommons.org/publicdomain/mark/1.0/", "Public Domain Mark 1.0"),
    ("CC-BY-ND-3.0", "https://creativecommons.org/licenses/by-nd/3.0/",
     "Creative Commons Attribution-NoDerivs 3.0 Unported"),
    ("InC", "http://rightsstatements.org/vocab/InC/1.0/", "In Copyright"),
    ("https://rightsstatements.org/page/InC-EDU/1.0/?language=en", "http://rightsstatements.org/vocab/InC-EDU/1.0/",
     "In Copyright - Educational Use Permitted"),
    ("noc-us", "http://rightsstatements.org/vocab/NoC-US/1.0/", "No Copyright - United States"),
])
def test_other_licences_and_rights_statements(written: str, uri: str, name: str):
    licence = rights.find(written)
    assert (licence.uri, licence.name) == (uri, name)
    assert licence.statement == uri.startswith("http://rightsstatements.org/")


@pytest.mark.parametrize("written", ["CC BY 2.0", "https://creativecommons.org/licenses/by/3.0/us/",
                                     "All rights reserved", "GPL-3.0", "https://example.org/licence"])
def test_anything_else_is_refused(written: str):
    assert rights.find(written) is None
    with pytest.raises(ValueError, match="is not a licence or rights statement showcase knows"):
        rights.canonical(written)


def test_the_example_content_uses_known_licences_by_address():
    for sidecar in sorted((REPO / "content/artworks").glob("*.yaml")):
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
        if "licence" in data:
            assert data["licence"] in rights.LICENCES, sidecar.name  # written as its canonical address
            assert ArtworkMeta.model_validate(data).licence == data["licence"]
    assert "rights" not in yaml.safe_load((REPO / "content/site.yaml").read_text(encoding="utf-8"))


# --- an unknown licence ----------------------------------------------------------------------------------


def test_an_unknown_licence_is_an_error_at_its_line_with_the_licences_allowed(site: Site, capsys, monkeypatch):
    monkeypatch.chdir(site.root)
    add_artwork(site, "cup", "year: 2016\nlicence: CC-BY-NX-4.0\n")
    assert site.check() == 1
    err = capsys.readouterr().err
    (line,) = [l for l in err.splitlines() if "licence" in l]
    assert line.startswith("content/artworks/cup.yaml:4:1: error: licence: 'CC-BY-NX-4.0' is not a licence or rights "
                           "statement showcase knows (did you mean CC-BY-N"), line
    for allowed in ("CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0", "CC-BY-NC-ND-4.0",
                    "CC0-1.0", "PDM-1.0", "InC", "InC-EDU", "NoC-US", "CNE", "UND", "NKC",
                    "https://creativecommons.org/licenses/by-nc/4.0/"):
        assert allowed in line, allowed
    assert "Value error" not in err and "Traceback" not in err


def test_an_unknown_site_wide_licence_is_an_error_in_site_yaml(site: Site, capsys, monkeypatch):
    monkeypatch.chdir(site.root)
    config = (site.content / "site.yaml").read_text(encoding="utf-8")
    (site.content / "site.yaml").write_text(config + "rights:\n  licence: Creative Commons\n", encoding="utf-8")
    lines = config.count("\n")
    assert site.check() == 1
    err = capsys.readouterr().err
    assert (f"content/site.yaml:{lines + 2}:3: error: rights.licence: 'Creative Commons' is not a licence or rights "
            "statement showcase knows") in err, err


# --- what the artwork's page and its JSON-LD say ---------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("rights"))
    add_artwork(site, "cup", "licence: CC-BY-NC-4.0\nrights_holder: {name: Jane Quinnell, display: initials}\n"
                             "credit: Photograph by the programme\n")
    add_artwork(site, "plate", "licence: http://rightsstatements.org/vocab/InC/1.0/\nrights_holder:\n"
                               "  name: Clayworks Studio\n  organisation: true\n")
    assert site.build("--base-url", "https://example.org/cpmr/") == 0
    return site


def test_the_label_links_the_licence_by_name_with_rel_license(built: Site):
    html = built.page("artworks/cup")
    shown = label(html)
    assert (f'<dt>Licence</dt><dd><a rel="license" href="{BY_NC}">{BY_NC_NAME}</a> (CC BY-NC 4.0)</dd>') in shown
    assert "<dt>Rights holder</dt><dd>J.Q.</dd>" in shown  # as the sidecar asks: initials
    assert "<dt>Credit</dt><dd>Photograph by the programme</dd>" in shown
    assert "Jane" not in html and "Quinnell" not in html
    assert html.count('rel="license"') == 1


def test_a_rights_statement_is_shown_as_rights_not_as_a_licence(built: Site):
    shown = label(built.page("artworks/plate"))
    assert ('<dt>Rights</dt><dd><a rel="license" href="http://rightsstatements.org/vocab/InC/1.0/">In Copyright</a>'
            '</dd>') in shown
    assert "Licence" not in shown and "Credit" not in shown
    assert "<dt>Rights holder</dt><dd>Clayworks Studio</dd>" in shown


def test_json_ld_says_licence_rights_holder_and_credit(built: Site):
    data = structured(built.page("artworks/cup"), "VisualArtwork")
    assert data["license"] == BY_NC
    assert data["copyrightHolder"] == {"@type": "Person", "name": "J.Q."}
    assert data["creditText"] == "Photograph by the programme"
    plate = structured(built.page("artworks/plate"), "VisualArtwork")
    assert plate["license"] == "http://rightsstatements.org/vocab/InC/1.0/"
    assert plate["copyrightHolder"] == {"@type": "Organization", "name": "Clayworks Studio"}
    assert "creditText" not in plate


def test_without_a_licence_nothing_is_claimed(built: Site):
    """The bowl's sidecar gives no licence and site.yaml no default: no licence anywhere, no rights holder."""
    html = built.page("artworks/bowl")
    assert 'rel="license"' not in html
    assert not re.search(r"Licen[cs]e|Rights|Credit|creativecommons|rightsstatements", label(html))
    data = structured(html, "VisualArtwork")
    assert not {"license", "copyrightHolder", "creditText"} & set(data)
    manifest = json.loads((built.out / "iiif/artworks/bowl/manifest.json").read_text(encoding="utf-8"))
    assert "rights" not in manifest and "requiredStatement" not in manifest
    assert not re.search(r"creativecommons|rightsstatements|Licence|Rights", json.dumps(manifest))


def test_the_manifest_carries_the_same_rights(built: Site):
    manifest = json.loads((built.out / "iiif/artworks/cup/manifest.json").read_text(encoding="utf-8"))
    assert manifest["rights"] == "http://creativecommons.org/licenses/by-nc/4.0/"  # the form IIIF asks for
    assert manifest["requiredStatement"] == {"label": {"en": ["Credit"]},
                                             "value": {"en-GB": ["Photograph by the programme"]}}
    pairs = {p["label"]["en"][0]: p["value"]["en-GB"][0] for p in manifest["metadata"]}
    assert pairs["Rights holder"] == "J.Q." and pairs["Licence"] == BY_NC_NAME
    plate = json.loads((built.out / "iiif/artworks/plate/manifest.json").read_text(encoding="utf-8"))
    assert plate["rights"] == "http://rightsstatements.org/vocab/InC/1.0/"


# --- a site-wide default ---------------------------------------------------------------------------------


def test_site_yaml_rights_are_the_default_an_artwork_may_override(site: Site):
    config = (site.content / "site.yaml").read_text(encoding="utf-8")
    (site.content / "site.yaml").write_text(config + "rights:\n  licence: CC-BY-4.0\n  rights_holder: Making Together\n"
                                            "  credit: Courtesy of Making Together\n", encoding="utf-8")
    add_artwork(site, "cup", "licence: InC\ncredit: Lent by the maker\n")
    assert site.build() == 0
    bowl = label(site.page("artworks/bowl"))
    assert ('<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 '
            'International</a> (CC BY 4.0)') in bowl
    assert "<dt>Rights holder</dt><dd>Making Together</dd>" in bowl
    assert "<dt>Credit</dt><dd>Courtesy of Making Together</dd>" in bowl
    cup = site.page("artworks/cup")
    assert '<a rel="license" href="http://rightsstatements.org/vocab/InC/1.0/">In Copyright</a>' in label(cup)
    assert "<dt>Credit</dt><dd>Lent by the maker</dd>" in label(cup)
    assert "<dt>Rights holder</dt><dd>Making Together</dd>" in label(cup)  # the default, as the cup names none
    data = structured(cup, "VisualArtwork")
    assert (data["license"], data["creditText"]) == ("http://rightsstatements.org/vocab/InC/1.0/", "Lent by the maker")
    assert SiteConfig.model_validate({"title": "T", "description": "D", "language": "en",
                                      "rights": {"licence": "CC0"}}).rights.licence == \
        "https://creativecommons.org/publicdomain/zero/1.0/"


def test_a_site_wide_licence_as_the_content_contract_writes_it(site: Site, capsys):
    """The contract's `licence:` in site.yaml is `rights: licence:` written shorter; both at once must agree."""
    config = (site.content / "site.yaml").read_text(encoding="utf-8")
    (site.content / "site.yaml").write_text(config + "licence: CC-BY-NC-4.0\n", encoding="utf-8")
    assert site.check() == 0 and site.build() == 0
    assert ('<a rel="license" href="https://creativecommons.org/licenses/by-nc/4.0/">'
            in label(site.page("artworks/bowl")))
    (site.content / "site.yaml").write_text(config + "licence: CC-BY-NC-4.0\nrights:\n  licence: CC-BY-4.0\n",
                                            encoding="utf-8")
    capsys.readouterr()
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "site.yaml" in err and "licence and rights: licence say different things" in err
    assert SiteConfig.model_validate({"title": "T", "description": "D", "language": "en", "licence": "CC0",
                                      "rights": {"credit": "C"}}).rights.credit == "C"


def test_the_schema_describes_licence_and_rights(tmp_path: Path):
    from showcase.schema import schema

    artwork = schema("artwork.schema.json")["properties"]
    assert "CC-BY-NC-4.0" in json.dumps(artwork["licence"]) and "rights_holder" in artwork
    assert "rights" in schema("site.schema.json")["properties"]
