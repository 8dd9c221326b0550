"""Read article files into cleaned :class:`~loaders.article.Article` objects.

* :func:`read_path` — a file or a folder (recursively, in sorted order; suffixes
  ``.txt``, ``.html``, ``.htm``, ``.jsonl``, others skipped). Yields an Article
  per article, or a :class:`ReadError` for a file (or JSONL line) that cannot be
  read; iteration always goes on.
* :func:`read_text` / :func:`read_html` — in-memory text / HTML; they raise
  :class:`UnreadableArticle` (a ``ValueError``) where read_path would yield a
  ReadError.

Bytes are decoded as UTF-8 (with or without BOM), UTF-16 (BOM, or a NUL-byte
pattern without one), or Windows-1258 (``cp1258``, whose combining tone marks
are composed by NFC); HTML's declared charset is tried first. Everything is
NFC. Refused with a ReadError: files over :data:`MAX_BYTES` (checked from the
file size, before reading), binary files, empty files, texts with no
Vietnamese in them (checked by the share of Vietnamese-specific letters, see
:func:`loaders.clean.looks_vietnamese`: an English or French page yields a
ReadError rather than an Article that would yield no facts), and HTML with no
text left.

``.txt`` files go straight to :func:`loaders.clean.clean_text` (no HTML
machinery: a seed-sized file takes about a millisecond). ``.html`` goes through
trafilatura (main text and metadata; comments excluded), photo captions that
trafilatura drops (``<figcaption>``, caption-like classes of
``lexicon/chrome.tsv``) are put back where they stood, and the result goes
through the same cleaner. Broken HTML falls back to lxml, then to stripping tags.

A ``.jsonl`` file holds one article per line: an object with ``text`` (or
``html``) and optionally ``title``, ``date``/``issued``, ``url``, ``id``,
``publisher``, ``author``; the id defaults to ``<file stem>-<line number>``. A
JSONL file is streamed, and the size cap applies to each line.

An article id becomes part of IRIs, so it must be a path segment: letters, digits,
``-``, ``_``, ``.`` and ``~``, not starting with ``.``, at most 200 characters
(:func:`check_id`). An article with any other id (a JSONL ``id``, or a file name)
yields a ReadError naming it. Lone surrogates (``"\\ud800"`` in JSON) cannot be
stored: they are replaced by U+FFFD and the article says so in ``notes``.
"""
from __future__ import annotations

import codecs
import copy
import datetime as dt
import html as htmllib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from loaders import metadata as md
from loaders.article import Article
from loaders.clean import Cleaned, clean_text, looks_vietnamese, normalize
from loaders.sentences import split_sentences
from loaders.text import fold, nfc

MAX_BYTES = 5_000_000  # files (and JSONL lines) larger than this are refused unread
MAX_ID = 200  # characters of an article id
_ID = re.compile(r"[^\W_][\w.~-]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


@dataclass(frozen=True)
class ReadError:
    """A file (or a JSONL line, ``source`` = ``path:line``) that gave no article, and why."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class UnreadableArticle(ValueError):
    """Raised by :func:`read_text`, :func:`read_html` and :func:`decode_bytes`."""


def _mb(n: int) -> str:
    s = f"{n / 1e6:.1f}"
    return s[:-2] if s.endswith(".0") else s


# --------------------------------------------------------------------------- decoding
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{2,40})""", re.IGNORECASE)


def _binary_text(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 200)


def _utf16_guess(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit on one side of the pairs, else None."""
    head = data[:8192]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    if zeros_odd > 0.3 * len(odd) and zeros_even < 0.05 * len(even):
        return "utf-16-le"
    if zeros_even > 0.3 * len(even) and zeros_odd < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """Decode a file's bytes to NFC text (see the module doc); raise UnreadableArticle."""
    if not data.strip():
        raise UnreadableArticle("empty file")
    text: str | None = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise UnreadableArticle("binary file, not text") from None
            break
    if text is None and b"\x00" in data[:8192]:
        codec = _utf16_guess(data)
        if codec is None:
            raise UnreadableArticle("binary file, not text")
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            raise UnreadableArticle("binary file, not text") from None
    if text is None:
        codecs_to_try = ["utf-8", "cp1258"]
        if declared:
            try:
                name = codecs.lookup(declared).name
            except LookupError:
                name = None
            if name and name not in ("utf-8", "cp1258"):
                codecs_to_try.insert(1, name)  # utf-8 stays first: declarations lie more often
        for codec in codecs_to_try:
            try:
                text = data.decode(codec)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            raise UnreadableArticle("binary file, not text")
    if _binary_text(text):
        raise UnreadableArticle("binary file, not text")
    text = nfc(text)
    if not text.strip():
        raise UnreadableArticle("empty file")
    return text


# --------------------------------------------------------------------------- articles
def _finish(
    cleaned: Cleaned,
    *,
    id: str,
    source: str | None,
    issued=None,
    author: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
) -> Article:
    if not cleaned.paragraphs or sum(map(str.isalpha, cleaned.text[:4000])) < 20:
        raise UnreadableArticle("no main text found")
    if not looks_vietnamese(cleaned.text):
        raise UnreadableArticle("no Vietnamese text found")
    art = Article(
        id=id,
        text=cleaned.text,
        title=cleaned.title,
        issued=issued if issued is not None else cleaned.issued,
        publisher=publisher or cleaned.publisher,
        author=author or cleaned.author,
        url=url,
        source=source,
    )
    art.sentences = split_sentences(art.text)
    return art


def read_text(
    raw: str,
    *,
    id: str,
    source: str | None = None,
    title: str | None = None,
    issued: dt.date | dt.datetime | None = None,
    author: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
) -> Article:
    """A plain-text portal dump as a cleaned Article (title and metadata read from the text
    unless given)."""
    if not isinstance(raw, str):
        raise UnreadableArticle("not text")
    if _binary_text(raw):
        raise UnreadableArticle("binary file, not text")
    if not raw.strip():
        raise UnreadableArticle("empty file")
    cleaned = clean_text(raw, title=title)
    return _finish(cleaned, id=id, source=source, issued=issued, author=author, publisher=publisher, url=url)


# --------------------------------------------------------------------------- HTML
_DROP_TAGS = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
    "svg", "button", "select", "textarea", "template", "object", "embed", "canvas",
)
_BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "tr", "td", "th", "table", "figure", "figcaption", "blockquote", "pre", "br", "hr", "dd", "dt",
    "dl", "center", "address",
)
_PUB_META = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "dc.date.issued", "dcterms.issued", "date", "dc.date", "publish-date", "article.published",
)
_RE_SCRIPT = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_RE_BLOCK = re.compile(r"</?(?:%s)\b[^>]*>" % "|".join(_BLOCK_TAGS), re.IGNORECASE)
_RE_TAG = re.compile(r"<[^>]*>")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")


def _ws(s: str) -> str:
    return " ".join(s.split())


def _classes(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse_tree(html: str):
    try:
        import lxml.html

        return lxml.html.document_fromstring(_XML_DECL.sub("", html, count=1))
    except Exception:  # lxml refuses empty or hopeless documents
        return None


_TEXT_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"}


def _captions(tree) -> list[tuple[str, str | None, str | None]]:
    """(caption, text of the paragraph before it, text of the paragraph after it), in document order."""
    if tree is None:
        return []
    cap_rx = md.cue_regex("caption")
    seq: list[tuple[bool, str]] = []  # (is caption, text) in document order
    seen: set[str] = set()
    inside_caption: set = set()
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        if parent is not None and parent in inside_caption:
            inside_caption.add(el)
            continue
        is_cap = el.tag == "figcaption" or (
            el.tag in ("p", "div", "span", "td", "em", "i", "small") and bool(cap_rx.search(_classes(el)))
        )
        if is_cap:
            inside_caption.add(el)
            text = _ws(el.text_content())
            if text and len(text) <= 400 and text not in seen:
                seen.add(text)
                seq.append((True, text))
        elif el.tag in _TEXT_BLOCKS:
            text = _ws(el.text_content())
            if text:
                seq.append((False, text))
    out = []
    for i, (is_cap, text) in enumerate(seq):
        if not is_cap:
            continue
        before = next((t for c, t in reversed(seq[:i]) if not c), None)
        after = next((t for c, t in seq[i + 1 :] if not c), None)
        out.append((text, before, after))
    return out


def _meta_date(tree):
    if tree is None:
        return None
    for el in tree.iter("meta", "time"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if el.tag == "time" and el.get("itemprop", "").lower() == "datepublished":
            key = "datepublished"
        if key in _PUB_META:
            value = md.parse_date(el.get("content") or el.get("datetime") or "")
            if value:
                return value
    return None


def _fallback_text(html: str, tree) -> str:
    """Main text without trafilatura: lxml with chrome containers removed, or tag stripping."""
    if tree is not None:
        try:
            tree = copy.deepcopy(tree)
            chrome = md.cue_regex("htmlchrome")
            for el in list(tree.iter(*_DROP_TAGS)):
                el.drop_tree()
            total = len(_ws(tree.text_content()))
            for el in list(tree.iter()):
                if isinstance(el.tag, str) and el.tag not in ("html", "body") and chrome.search(_classes(el)):
                    # a "page-with-sidebar" wrapper holding most of the text is not chrome
                    if el.getparent() is not None and len(_ws(el.text_content())) < 0.5 * total:
                        el.drop_tree()
            for el in tree.iter(*_BLOCK_TAGS):
                el.tail = "\n" + (el.tail or "")
                if el.tag not in ("br", "hr"):
                    el.text = "\n" + (el.text or "")
            text = tree.text_content()
            if text.strip():
                return text
        except Exception:
            pass
    text = _RE_SCRIPT.sub(" ", html)
    text = _RE_BLOCK.sub("\n", text)
    text = _RE_TAG.sub(" ", text)
    return htmllib.unescape(text)


def _trafilatura(html: str, url: str | None):
    try:
        import trafilatura
    except Exception:  # not installed or broken: the fallback does the work
        return None
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=True,
            include_images=False,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:
        return None
    if doc is None:
        return None
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)


def _tidy_extracted(text: str) -> list[str]:
    lines = []
    for line in text.split("\n"):
        line = _MD_IMAGE.sub(" ", line)
        if "|" in line and line.strip().startswith("|"):
            line = " ".join(c.strip() for c in line.strip().strip("|").split("|") if c.strip())
        line = _ws(line)
        if line:
            lines.append(line)
    return lines


def _put_back_captions(lines: list[str], captions) -> list[str]:
    keys = [fold(x) for x in lines]
    for cap, before, after in captions:
        fc = fold(cap)
        if any(fc == k or (len(fc) > 30 and fc in k) for k in keys):
            continue
        pos = None
        if before:
            fb = fold(before)
            for i, k in enumerate(keys):
                if k == fb or (len(fb) > 30 and (k.startswith(fb[:60]) or fb.startswith(k[:60]))):
                    pos = i + 1
        if pos is None and after:
            fa = fold(after)
            for i, k in enumerate(keys):
                if k == fa or (len(fa) > 30 and (k.startswith(fa[:60]) or fa.startswith(k[:60]))):
                    pos = i
                    break
        if pos is None:
            pos = len(lines)
        lines.insert(pos, cap)
        keys.insert(pos, fc)
    return lines


def read_html(raw: str | bytes, *, id: str, source: str | None = None, url: str | None = None) -> Article:
    """An HTML page as a cleaned Article: trafilatura's main text and metadata, captions kept."""
    if isinstance(raw, (bytes, bytearray)):
        m = _META_CHARSET.search(bytes(raw[:4096]))
        html = decode_bytes(bytes(raw), declared=m.group(1).decode("ascii") if m else None)
    else:
        html = nfc(raw)
        if _binary_text(html):
            raise UnreadableArticle("binary file, not text")
    if not html.strip():
        raise UnreadableArticle("empty file")
    html = normalize(html)
    tree = _parse_tree(html)
    doc = _trafilatura(html, url) or {}
    title = _ws(doc.get("title") or "") or None
    if doc.get("text"):
        lines = _tidy_extracted(doc["text"])
    else:
        lines = [_ws(x) for x in _fallback_text(html, tree).split("\n")]
        lines = [x for x in lines if x]
        if title is None and tree is not None:
            h1 = tree.find(".//h1")
            t = tree.find(".//title")
            title = _ws((h1 if h1 is not None else t).text_content()) if (h1 is not None or t is not None) else None
            title = title or None
    lines = _put_back_captions(lines, _captions(tree))
    if not any(lines):
        raise UnreadableArticle("no text found in HTML")
    cleaned = clean_text("\n".join(lines), title=title)
    issued = _meta_date(tree) or cleaned.issued or md.parse_date(doc.get("date"))
    # a lead tag ("(BGĐT) -") names the outlet best, then the site name, then a copyright footer
    tagged = any(reason == "tag" for reason, _ in cleaned.dropped)
    publisher = (cleaned.publisher if tagged else None) or _ws(doc.get("sitename") or "") or cleaned.publisher
    return _finish(
        cleaned,
        id=id,
        source=source,
        issued=issued,
        author=_ws(doc.get("author") or "") or None,
        publisher=publisher,
        url=doc.get("url") or url,
    )


# --------------------------------------------------------------------------- files
def _source(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.resolve().relative_to(Path(base).resolve()))
        except ValueError:
            pass
    return str(path)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableArticle(f"file too large ({_mb(size)} MB > {_mb(max_bytes)} MB limit)")
    with path.open("rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnreadableArticle(f"file too large (> {_mb(max_bytes)} MB limit)")
    return data


def _read_jsonl(path: Path, source: str, max_bytes: int) -> Iterator[Article | ReadError]:
    with path.open("rb") as f:
        lineno = 0
        content = False
        while True:
            line = f.readline(max_bytes + 1)
            if not line:
                if not content:
                    yield ReadError(source, "empty file")
                break
            lineno += 1
            content = content or bool(line.strip())
            where = f"{source}:{lineno}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                while True:  # skip the rest of the over-long line
                    chunk = f.readline(1 << 20)
                    if not chunk or chunk.endswith(b"\n"):
                        break
                yield ReadError(where, f"line too large (> {_mb(max_bytes)} MB limit)")
                continue
            if lineno == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
            if not line.strip():
                continue
            try:
                rec = json.loads(line.decode("utf-8"))
            except UnicodeDecodeError:
                yield ReadError(where, "not UTF-8")
                continue
            except json.JSONDecodeError as e:
                yield ReadError(where, f"invalid JSON ({e.msg})")
                continue
            try:
                yield _read_record(rec, default_id=f"{path.stem}-{lineno}", source=where)
            except UnreadableArticle as e:
                yield ReadError(where, str(e))


def check_id(article_id: str) -> str:
    """``article_id`` if it can be an IRI path segment; else UnreadableArticle naming the problem."""
    if len(article_id) > MAX_ID:
        raise UnreadableArticle(f"bad article id {article_id[:40]!r}...: longer than {MAX_ID} characters")
    if not _ID.fullmatch(article_id) or ".." in article_id:
        raise UnreadableArticle(f"bad article id {article_id!r}: use letters, digits, '-', '_', '.', '~' "
                                "(starting with a letter or digit, no '..')")
    return article_id


def _no_surrogates(rec: dict, notes: list[str]) -> dict:
    """The record's strings with lone surrogates replaced by U+FFFD; what was replaced goes to ``notes``."""
    out = {}
    for key, value in rec.items():
        if isinstance(value, str) and _SURROGATE.search(value):
            n = len(_SURROGATE.findall(value))
            notes.append(f"{n} lone surrogate(s) in {key!r} replaced by U+FFFD")
            value = _SURROGATE.sub("\ufffd", value)
        out[key] = value
    return out


def _read_record(rec, *, default_id: str, source: str) -> Article:
    if not isinstance(rec, dict):
        raise UnreadableArticle("not a JSON object")
    notes: list[str] = []
    rec = _no_surrogates(rec, notes)
    text, html = rec.get("text"), rec.get("html")
    if not isinstance(text, str) or not text.strip():
        if isinstance(html, str) and html.strip():
            text = None
        else:
            raise UnreadableArticle('no "text" field')

    def opt(key: str) -> str | None:
        v = rec.get(key)
        if v is None:
            return None
        return nfc(str(v)).strip() or None

    rid = check_id(opt("id") or default_id)
    issued = md.parse_date(opt("issued") or opt("date"))
    if text is None:
        art = read_html(html, id=rid, source=source, url=opt("url"))
        art.title = opt("title") or art.title
        art.issued = issued or art.issued
        art.author = opt("author") or art.author
        art.publisher = opt("publisher") or art.publisher
        art.notes = notes
        return art
    art = read_text(
        text,
        id=rid,
        source=source,
        title=opt("title"),
        issued=issued,
        author=opt("author"),
        publisher=opt("publisher"),
        url=opt("url"),
    )
    art.notes = notes
    return art


def _read_file(path: Path, base: Path | None, max_bytes: int) -> Iterator[Article | ReadError]:
    source = _source(path, base)
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from _read_jsonl(path, source, max_bytes)
            return
        article_id = check_id(path.stem)
        data = _read_bytes(path, max_bytes)
        if suffix in (".html", ".htm"):
            yield read_html(data, id=article_id, source=source)
        else:
            yield read_text(decode_bytes(data), id=article_id, source=source)
    except UnreadableArticle as e:
        yield ReadError(source, str(e))
    except OSError as e:
        yield ReadError(source, e.strerror or str(e))


def input_files(folder: Path) -> list[Path]:
    """The article files under a folder, recursively, sorted by path; hidden ones skipped."""
    files = []
    for p in folder.rglob("*"):
        rel = p.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if p.suffix.lower() in SUFFIXES and p.is_file():
            files.append(p)
    return sorted(files, key=lambda q: q.relative_to(folder).as_posix())


def read_path(
    path: str | Path, *, base: str | Path | None = None, max_bytes: int = MAX_BYTES
) -> Iterator[Article | ReadError]:
    """Articles of a file or of every ``.txt``/``.html``/``.htm``/``.jsonl`` under a folder.

    ``base``, when given, makes ``source`` paths relative to it. Files are taken in
    sorted order of their path; hidden files and folders are skipped. A file that
    cannot be read yields a :class:`ReadError` and the iteration goes on.
    """
    path = Path(path)
    base_path = Path(base) if base is not None else None
    if not path.exists():
        yield ReadError(_source(path, base_path), "no such file or folder")
        return
    if path.is_dir():
        for p in input_files(path):
            yield from _read_file(p, base_path, max_bytes)
        return
    yield from _read_file(path, base_path, max_bytes)
