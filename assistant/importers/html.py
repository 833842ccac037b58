"""Read a report saved as a web page (.html, .htm, .mhtml): the article without the site around it, tables as grids."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message

import lxml.html
from lxml import etree

from assistant.importers.cells import is_value_cell
from assistant.importers.result import Imported, ReadError
from assistant.importers.text import read_text

# Elements whose text is never the article's: scripts, styles, forms and the site's navigation.
_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "select",
    "button",
    "nav",
)
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "blockquote",
        "pre",
        "center",
        "address",
        "figure",
        "figcaption",
        "form",
        "fieldset",
        "hr",
        "caption",
    ]
)
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2002\u2003\u2009\u200b\u3000]+")
_FIRST_PART = re.compile(r"^\s*[一1]\s*[、.．]\s*总体情况")
_LAST_PART = re.compile(r"^\s*[六五6]\s*[、.．]\s*其他")
_DATA_TABLE_WORDS = ("自然人", "行政复议", "行政规范性文件", "行政许可", "本年新收")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_DATE_LABEL = re.compile(
    r"(?:发布|成文|生成|时间|日期)[^0-9]{0,8}((?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2})"
)
_SOURCE_LABEL = re.compile(r"(?:来源|发布机构|发文机关|信息来源)\s*[:：]\s*([^\s:：|]{2,40})")
# Short lines around an article that belong to the page, not to the report.
_CHROME = re.compile(
    r"^(?:来源|信息来源|时间|发布时间|发布日期|发布机构|成文日期|作者|浏览(?:次数)?|点击(?:数|量)?|阅读(?:数|量)?|字号|"
    r"索引号|文号|主题分类|分享到?|打印|关闭|【)"
)
_DIGITS = re.compile(r"\s*(\d+)")
# A report's widest table has 16 columns; cells beyond 100 are a broken page's spans, not data (and would cost
# seconds to lay out).
_MAX_COLUMNS = 100


@dataclass
class Page:
    """What a web page holds for the text reader: the article as lines, its title and publication metadata."""

    lines: list[str] = field(default_factory=list)
    title: str = ""
    published: str = ""  # the publication date as YYYY-MM-DD, when the page states one
    publisher: str = ""


def _charset_name(name: str) -> str:
    name = name.lower().strip()
    # Pages declared as gb2312 or gbk routinely use characters only GB18030 (its superset) decodes.
    return "gb18030" if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn") else name


def decode_page(data: bytes, declared: str | None = None) -> tuple[str, bool]:
    """The page's text, and whether its encoding was guessed (GB18030 for a page that declares none or another).

    A byte-order mark wins, then the charset the page (or its archive) declares, then UTF-8, then GB18030.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), False
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), False
    stated: list[str] = []
    if declared:
        stated.append(_charset_name(declared))
    if m := _CHARSET.search(data[:8192]):
        stated.append(_charset_name(m.group(1).decode("ascii")))
    for encoding in dict.fromkeys([*stated, "utf-8", "gb18030"]):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return text, encoding not in stated and encoding != "utf-8"
    raise ReadError("无法识别网页的编码（应为 UTF-8 或 GBK），请用浏览器重新保存为 UTF-8 网页")


def _text(node: etree._Element) -> str:
    return _SPACES.sub(" ", node.text_content()).strip()


def _span(value: str | None, limit: int) -> int:
    """A rowspan or colspan as a count: missing, broken or zero means 1; huge values are capped."""
    digits = _DIGITS.match(value or "")
    n = int(digits.group(1)) if digits else 1
    return max(1, min(n, limit))


def _rows_of(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def table_grid(table: etree._Element) -> list[list[str]]:
    """The table as a grid of cell texts, rowspan and colspan resolved.

    A label spanning rows is repeated in each row it covers (the rows below belong to it); a spanned figure is
    written once, and the columns a cell spans to its right are empty, so no figure is ever counted twice.
    """
    rows = _rows_of(table)
    taken: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            if c >= _MAX_COLUMNS:
                break
            text = _text(cell)
            down = _span(cell.get("rowspan"), len(rows) - r)
            across = _span(cell.get("colspan"), _MAX_COLUMNS - c)
            repeat = bool(text) and not is_value_cell(text)
            for i in range(down):
                for j in range(across):
                    taken[(r + i, c + j)] = text if j == 0 and (i == 0 or repeat) else ""
            c += across
    width = max((c for _, c in taken), default=-1) + 1
    return [[taken.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _is_data_table(table: etree._Element) -> bool:
    if table.find(".//table") is not None:
        return False  # a table around tables is page layout
    text = table.text_content()
    return any(word in text for word in _DATA_TABLE_WORDS)


def _starts_with(el: etree._Element, pattern: re.Pattern[str]) -> bool:
    if not isinstance(el.tag, str) or el.tag in ("html", "body"):
        return False
    return bool(pattern.match(_SPACES.sub("", el.text_content().lstrip()[:80])))


def _innermost(root: etree._Element, pattern: re.Pattern[str], word: str) -> list[etree._Element]:
    """The innermost elements whose text starts with the pattern (a heading split over spans is found whole).

    Only the few text nodes that carry the heading's word are looked at, and their ancestors up to a block:
    reading the text of every element of a page costs more than the rest of the import.
    """
    found: list[etree._Element] = []
    for node in root.xpath(".//text()[contains(., $word)]", word=word):
        el = node.getparent()
        if node.is_tail:
            el = el.getparent()  # text after a <br> or a <span> lives in the element around them
        if el is not None and pattern.match(_SPACES.sub("", str(node))):
            # The heading opens a line of its own, as in pages laid out with <br>: its element is found.
            if el not in found:
                found.append(el)
            continue
        for _ in range(4):
            if el is None or el.tag in ("body", "html", "table", "tr"):
                break
            if _starts_with(el, pattern):
                if el not in found:
                    found.append(el)
                break
            el = el.getparent()
    return found


def _common_ancestor(nodes: list[etree._Element]) -> etree._Element:
    chains = [[n, *n.iterancestors()][::-1] for n in nodes]
    common = chains[0][0]
    for level in zip(*chains, strict=False):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def _depth(node: etree._Element) -> int:
    return sum(1 for _ in node.iterancestors())


def _article(body: etree._Element) -> etree._Element:
    """The element holding the report: the smallest one around its first heading and its tables.

    A menu may carry a link that reads like a heading (“一、总体情况说明”): the heading that counts is the one
    that shares the deepest ancestor with the tables, or without tables the one in the longest text.
    """
    tables = [t for t in body.iter("table") if _is_data_table(t)]
    firsts = _innermost(body, _FIRST_PART, "总体情况")
    if not firsts:
        if len(tables) < 2:
            raise ReadError(
                "网页中没有找到年度报告的正文（如“一、总体情况”和统计表）：这可能是栏目列表页、错误页（404）"
                "或其他网页，请打开报告本身的页面后再保存（报告若是网页上的附件，请下载附件后导入）"
            )
        return _common_ancestor(tables)
    if tables:
        first = max(firsts, key=lambda el: _depth(_common_ancestor([el, tables[0]])))
    else:
        first = max(
            firsts, key=lambda el: len(el.getparent().text_content()) if el.getparent() is not None else 0
        )
    markers = [first, *tables]
    lasts = _innermost(body, _LAST_PART, "其他")
    if lasts:
        markers.append(max(lasts, key=lambda el: _depth(_common_ancestor([el, first]))))
    return _common_ancestor(markers)


def _lines(node: etree._Element) -> Iterator[str]:
    """The article as lines: a block element or <br> ends a line, a data table gives one line per row."""
    buffer: list[str] = []

    def flush() -> Iterator[str]:
        line = _SPACES.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if line:
            yield line

    def walk(el: etree._Element) -> Iterator[str]:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table" and el.find(".//table") is None:
            yield from flush()
            for row in table_grid(el):
                if any(row):
                    yield "\t".join(row) if sum(1 for c in row if c) > 1 else next(c for c in row if c)
            return
        if tag == "br":
            yield from flush()
        elif tag:
            block = tag in _BLOCKS or tag in ("table", "tr", "td", "th")
            if block:
                yield from flush()
            if el.text:
                buffer.append(el.text)
            for child in el:
                yield from walk(child)
                if child.tail:
                    buffer.append(child.tail)
            if block:
                yield from flush()

    yield from walk(node)
    yield from flush()


def _meta(root: etree._Element, *names: str) -> str:
    for name in names:
        for el in root.iter("meta"):
            key = (el.get("name") or el.get("property") or "").lower()
            if key == name.lower() and (content := (el.get("content") or "").strip()):
                return content
    return ""


def _title(root: etree._Element) -> str:
    title = _meta(root, "ArticleTitle", "og:title", "title")
    if not title:
        for tag in ("h1", "h2"):
            heading = next((h for h in root.iter(tag) if "报告" in h.text_content()), None)
            if heading is not None:
                title = _text(heading)
                break
    if not title:
        found = root.find(".//title")
        # A site's <title> appends its column and name: 报告标题_栏目_网站.
        title = re.split(r"\s*[_|｜]\s*|\s+-\s+", _text(found))[0] if found is not None else ""
    return title.strip()


def _date(text: str) -> str:
    if m := _DATE.search(text):
        year, month, day = (int(g) for g in m.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def parse_page(html: str) -> Page:
    """The article of a saved web page as lines for the text reader, with its title and publication data."""
    html = _XML_DECLARATION.sub("", html.lstrip("\ufeff"), count=1)
    if not html.strip():
        raise ReadError("网页是空的")
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"无法解析这个网页：{exc}") from None
    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()
    for comment in list(root.iter(etree.Comment)):
        if comment.getparent() is not None:
            comment.drop_tree()
    if _meta(root, "generator").startswith("年报助手"):
        # `check --format html -o` may be written into the folder of reports it checked.
        raise ReadError("这是年报助手生成的检查结果总览，不是年度报告（可把它放在报告文件夹之外）")
    body = root.find("body")
    article = _article(body if body is not None else root)
    page = Page(title=_title(root))
    page_text = _SPACES.sub(" ", root.text_content())
    label = _DATE_LABEL.search(page_text)
    page.published = _date(
        _meta(root, "PubDate", "publishdate", "article:published_time", "firstpublishedtime")
    )
    page.published = page.published or (_date(label.group(1)) if label else "")
    source = _SOURCE_LABEL.search(page_text)
    page.publisher = _meta(root, "ContentSource", "source") or (source.group(1) if source else "")
    lines = list(_lines(article))
    # Before the first part: the article's own title and the page's 来源/时间/打印 line are not the preamble.
    first = next((i for i, line in enumerate(lines) if _FIRST_PART.match(line)), len(lines))
    head = [
        line
        for line in lines[:first]
        if _SPACES.sub("", line) != _SPACES.sub("", page.title) and not _CHROME.match(line)
    ]
    page.lines = head + lines[first:]
    return page


def page_text(page: Page) -> str:
    """The page laid out as a text report: the header lines the text reader knows, then the article."""
    header = [f"标题: {page.title}"] if page.title else []
    if page.published:
        header.append(f"发布日期: {page.published}")
    if page.publisher:
        header.append(f"发布机构: {page.publisher}")
    return "\n".join([*header, "", *page.lines]) + "\n"


def read_html(data: bytes, declared: str | None = None) -> Imported:
    """Read a report from a saved web page (.html/.htm)."""
    html, guessed = decode_page(data, declared)
    imported = read_text(page_text(parse_page(html)))
    if guessed:
        imported.note("网页没有正确声明编码，已按 GBK（GB18030）读取：请核对文字是否有乱码")
    return imported


def _html_part(message: Message) -> Message | None:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part
    return None


def read_mhtml(data: bytes) -> Imported:
    """Read a report from a web archive (.mhtml/.mht, as browsers save a page with its resources)."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    part = _html_part(message)
    if part is None:
        if b"<html" in data[:4096].lower():
            return read_html(data)  # a page saved with the wrong suffix
        raise ReadError("这个 .mhtml 文件里没有网页内容（text/html），请用浏览器重新保存")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise ReadError("这个 .mhtml 文件里的网页是空的")
    return read_html(payload, part.get_content_charset())
