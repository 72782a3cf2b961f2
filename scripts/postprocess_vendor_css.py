"""Post-process vendored GOV.UK Frontend / MOJ Frontend files in place.

Called by scripts/vendor_frontend.sh; see docs/frontend.md.

Usage:
    python scripts/postprocess_vendor_css.py [--exclude PATTERN ...] FILE...

For each .css file:
  * drop every @font-face for "GDS Transport" (and the font's licence comment);
  * make every font-family that names GDS Transport read arial,sans-serif;
  * rewrite url(/assets/...) to a path relative to the CSS file, on the layout
    <dir of the CSS file>/assets/... (e.g. url(assets/images/icon.svg));
  * drop the whole rule around a url() whose file was deliberately not vendored
    (its name matches an --exclude pattern, e.g. govuk-crest.svg), so that
    ManifestStaticFilesStorage never meets a url() it cannot resolve;
  * strip the /*# sourceMappingURL=... */ comment (no .map files are shipped).
For each .js file: strip the //# sourceMappingURL=... comment.

It fails (exit 1) rather than write something that would break collectstatic:
a url() to a missing file that is not covered by --exclude, an absolute url()
outside /assets/, or any leftover "GDS Transport" or sourceMappingURL.
"""

from __future__ import annotations

import argparse
import fnmatch
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

FONT_NAME = "gds transport"
FALLBACK_FONT_FAMILY = "arial,sans-serif"
ASSETS_PREFIX = "/assets/"

URL_RE = re.compile(
    r"""url\(\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^)"'\s]*))\s*\)""", re.I
)
FONT_FAMILY_ITEM_RE = re.compile(r"""(?:"gds transport"|'gds transport'|gds transport)""", re.I)
CSS_SOURCEMAP_RE = re.compile(r"/\*[#@]\s*sourceMappingURL=[^*]*\*/\s*")
JS_SOURCEMAP_RE = re.compile(r"//[#@]\s*sourceMappingURL=\S*[ \t]*(?:\r?\n)?")


class VendorError(Exception):
    pass


# --- A tiny CSS tree: enough for minified Sass output, and exact on round trip. ---


@dataclass
class Comment:
    text: str


@dataclass
class Stmt:
    """A declaration or an at-statement, with its ';' if it has one."""

    text: str


@dataclass
class Block:
    prelude: str
    children: list = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not any(isinstance(c, Block) for c in self.children)


def parse_css(css: str) -> list:
    nodes, pos = _parse_nodes(css, 0, nested=False)
    if pos != len(css):
        raise VendorError(f"unbalanced '}}' at offset {pos}")
    return nodes


def _parse_nodes(css: str, pos: int, nested: bool) -> tuple[list, int]:
    nodes: list = []
    buf: list[str] = []
    parens = 0
    n = len(css)

    def flush() -> None:
        if buf:
            nodes.append(Stmt("".join(buf)))
            buf.clear()

    while pos < n:
        ch = css[pos]
        if css.startswith("/*", pos):
            end = css.find("*/", pos + 2)
            if end < 0:
                raise VendorError(f"unterminated comment at offset {pos}")
            flush()
            nodes.append(Comment(css[pos : end + 2]))
            pos = end + 2
        elif ch in "\"'":
            end = pos + 1
            while end < n and css[end] != ch:
                end += 2 if css[end] == "\\" else 1
            if end >= n:
                raise VendorError(f"unterminated string at offset {pos}")
            buf.append(css[pos : end + 1])
            pos = end + 1
        elif ch == "\\":
            buf.append(css[pos : pos + 2])
            pos += 2
        elif ch == "(":
            parens += 1
            buf.append(ch)
            pos += 1
        elif ch == ")":
            parens = max(parens - 1, 0)
            buf.append(ch)
            pos += 1
        elif ch == ";" and parens == 0:
            buf.append(ch)
            flush()
            pos += 1
        elif ch == "{" and parens == 0:
            prelude = "".join(buf)
            buf.clear()
            children, pos = _parse_nodes(css, pos + 1, nested=True)
            if pos >= n or css[pos] != "}":
                raise VendorError(f"unterminated block {prelude[:60]!r}")
            nodes.append(Block(prelude, children))
            pos += 1
        elif ch == "}" and parens == 0:
            if not nested:
                raise VendorError(f"unexpected '}}' at offset {pos}")
            flush()
            return nodes, pos
        else:
            buf.append(ch)
            pos += 1
    flush()
    return nodes, pos


def serialise(nodes: list) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Block):
            out.append(node.prelude + "{" + serialise(node.children) + "}")
        else:
            out.append(node.text)
    return "".join(out)


# --- The edits. ---


def url_targets(text: str) -> list[str]:
    return [m.group("dq") or m.group("sq") or m.group("bare") or "" for m in URL_RE.finditer(text)]


def is_external(url: str) -> bool:
    lowered = url.lower()
    return not url or url.startswith("#") or lowered.startswith(("data:", "http:", "https:", "//"))


class CssFixer:
    def __init__(self, css_path: Path, excluded: list[str]) -> None:
        self.css_path = css_path
        self.css_dir = css_path.parent
        self.excluded = excluded
        self.log: list[str] = []

    # font-family -----------------------------------------------------------

    def fix_declaration(self, text: str) -> str:
        if FONT_NAME not in text.lower():
            return text
        prop, sep, value = text.partition(":")
        if not sep:
            return text
        name = prop.strip().lower()
        trailer = ";" if value.rstrip().endswith(";") else ""
        body = value.rstrip()[: -1 if trailer else None]
        important = ""
        m = re.search(r"\s*!\s*important\s*$", body, re.I)
        if m:
            important, body = "!important", body[: m.start()]
        if name == "font-family" or name.startswith("--"):
            new_value = FALLBACK_FONT_FAMILY
        else:
            # `font:` shorthand and anything else: swap the family list in place.
            new_value = re.sub(
                r"""(?:"gds transport"|'gds transport'|gds transport)"""
                r"(?:\s*,\s*arial)?(?:\s*,\s*sans-serif)?",
                FALLBACK_FONT_FAMILY,
                body,
                flags=re.I,
            )
        return f"{prop}:{new_value}{important}{trailer}"

    # url() -----------------------------------------------------------------

    def rewrite_urls(self, text: str) -> str:
        def repl(m: re.Match) -> str:
            url = m.group("dq") or m.group("sq") or m.group("bare") or ""
            if is_external(url):
                return m.group(0)
            if url.startswith(ASSETS_PREFIX):
                return f"url({url[1:]})"  # CSS sits next to its assets/ folder.
            if url.startswith("/"):
                raise VendorError(f"{self.css_path}: absolute url() outside /assets/: {url}")
            return m.group(0)

        return URL_RE.sub(repl, text)

    def missing_targets(self, text: str) -> list[str]:
        missing = []
        for url in url_targets(text):
            if is_external(url):
                continue
            path = url.split("?", 1)[0].split("#", 1)[0]
            target = self.css_dir / posixpath.normpath(path)
            if not target.is_file():
                missing.append(url)
        return missing

    def is_excluded(self, url: str) -> bool:
        name = posixpath.basename(url.split("?", 1)[0].split("#", 1)[0])
        return any(fnmatch.fnmatch(name, pattern) for pattern in self.excluded)

    # the tree walk -----------------------------------------------------------

    @staticmethod
    def is_gds_font_face(block: Block) -> bool:
        return block.prelude.strip().lower() == "@font-face" and any(
            isinstance(c, Stmt)
            and c.text.strip().lower().startswith("font-family")
            and FONT_NAME in c.text.lower()
            for c in block.children
        )

    def process(self, nodes: list) -> list:
        kept: list = []
        for node in nodes:
            if isinstance(node, Comment):
                if CSS_SOURCEMAP_RE.fullmatch(node.text.strip()):
                    self.log.append("stripped sourceMappingURL comment")
                    continue
                kept.append(node)
            elif isinstance(node, Stmt):
                text = self.rewrite_urls(self.fix_declaration(node.text))
                missing = self.missing_targets(text)
                if missing:
                    raise VendorError(f"{self.css_path}: url() to missing file(s) {missing}")
                kept.append(Stmt(text))
            elif self.is_gds_font_face(node):
                # The font's copyright banner (/*! ... */) sits just before it.
                if kept and isinstance(kept[-1], Comment) and "font" in kept[-1].text.lower():
                    kept.pop()
                self.log.append("removed @font-face for GDS Transport")
            elif node.is_leaf:
                children = [
                    Stmt(self.rewrite_urls(self.fix_declaration(c.text)))
                    if isinstance(c, Stmt)
                    else c
                    for c in node.children
                ]
                missing = self.missing_targets(serialise(children))
                if missing:
                    unexpected = [u for u in missing if not self.is_excluded(u)]
                    if unexpected:
                        raise VendorError(
                            f"{self.css_path}: url() to file(s) that were not vendored "
                            f"and are not excluded on purpose: {unexpected}"
                        )
                    self.log.append(
                        f"removed rule {node.prelude.strip()[:70]!r} (uses {', '.join(missing)})"
                    )
                    continue
                kept.append(Block(node.prelude, children))
            else:
                children = self.process(node.children)
                if not any(isinstance(c, Block) for c in children) and not any(
                    isinstance(c, Stmt) and c.text.strip() for c in children
                ):
                    self.log.append(f"removed emptied block {node.prelude.strip()[:70]!r}")
                    continue
                kept.append(Block(node.prelude, children))
        return kept


def process_css(path: Path, excluded: list[str]) -> list[str]:
    css = path.read_text(encoding="utf-8")
    tree = parse_css(css)
    if serialise(tree) != css:
        raise VendorError(f"{path}: CSS parser did not round-trip; refusing to edit")
    fixer = CssFixer(path, excluded)
    out = serialise(fixer.process(tree)).rstrip() + "\n"

    problems = []
    if FONT_NAME in out.lower():
        problems.append("GDS Transport still present")
    if re.search(r"url\(\s*[\"']?/", out):
        problems.append("absolute url(/...) still present")
    if "sourcemappingurl" in out.lower():
        problems.append("sourceMappingURL still present")
    if problems:
        raise VendorError(f"{path}: " + "; ".join(problems))
    path.write_text(out, encoding="utf-8")
    return fixer.log


def process_js(path: Path) -> list[str]:
    js = path.read_text(encoding="utf-8")
    out, count = JS_SOURCEMAP_RE.subn("", js)
    out = out.rstrip() + "\n"
    if "sourcemappingurl" in out.lower():
        raise VendorError(f"{path}: sourceMappingURL still present")
    path.write_text(out, encoding="utf-8")
    return ["stripped sourceMappingURL comment"] * count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="PATTERN",
        help="file name (glob) deliberately not vendored; rules using it are dropped",
    )
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)

    try:
        for path in args.files:
            if path.suffix == ".css":
                log = process_css(path, args.exclude)
            elif path.suffix in {".js", ".mjs"}:
                log = process_js(path)
            else:
                raise VendorError(f"{path}: not a .css or .js file")
            print(f"  {path}:")
            for line in dict.fromkeys(log):
                times = log.count(line)
                print(f"    {line}" + (f" (x{times})" if times > 1 else ""))
    except VendorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
