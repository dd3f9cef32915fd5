"""ingest.readers: every supported format → plain text; every bad file → UnreadableFileError naming it.

All fixture files are generated here (no binary fixtures in git).
"""
from __future__ import annotations

import io
import pickle
import random
import zipfile
from pathlib import Path

import pytest

from ingest.readers import SUPPORTED_SUFFIXES, UnreadableFileError, decode_bytes, read_document
from ingest.readers.dispatch import READERS, reader_for

pytestmark = pytest.mark.unit

# Realistic policy sentences, long (~100 chars) and short (~20 chars).
GB_LONG = (
    "第一条 为了加强产品质量监督管理，提高产品质量水平，明确产品质量责任，保护消费者的合法权益，"
    "维护社会经济秩序，制定本办法。\n"
    "第二条 县级以上人民政府市场监督管理部门负责本行政区域内的产品质量监督工作，"
    "对获得省长质量奖的企业给予一次性奖励100万元。"
)
GB_SHORT = "第三条 本办法自发布之日起施行。"
# "䶮" (U+4DAE, CJK Ext A) exists in GB18030 but not in GBK, so only a real GB18030 reading works.
GB18030_LONG = "第四条 鼓励企业开展质量管理体系认证，刘䶮同志负责质量强省建设工作的统筹协调，各地应当落实主体责任。"
GB18030_SHORT = "第五条 刘䶮负责质量工作。"
BIG5_LONG = (
    "第一條 為提升產品質量，鼓勵企業開展質量認證。\n"
    "第二條 各級人民政府應當把質量工作納入國民經濟和社會發展規劃，加強對質量工作的統籌規劃和組織領導。"
)
BIG5_SHORT = "第一條 為提升產品質量，鼓勵企業開展質量認證。"


def assert_unreadable(path: Path, *fragments: str) -> UnreadableFileError:
    """read_document must raise UnreadableFileError whose message names the file (and says why)."""
    with pytest.raises(UnreadableFileError) as info:
        read_document(path)
    message = str(info.value)
    assert path.name in message
    for fragment in fragments:
        assert fragment in message
    return info.value


# --------------------------------------------------------------------------- plain text


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("gbk", GB_LONG),
        ("gbk", GB_SHORT),
        ("gb18030", GB18030_LONG),
        ("gb18030", GB18030_SHORT),
        ("big5", BIG5_LONG),
        ("big5", BIG5_SHORT),
        ("big5", "第五條 本辦法自公布日施行。"),
        ("utf-8", GB_LONG),
        ("utf-8", GB_SHORT),
        ("utf-8-sig", GB_LONG),
        ("utf-8-sig", BIG5_SHORT),
        ("utf-16", GB_LONG),  # with BOM, native order
        ("utf-16", GB_SHORT),
    ],
)
def test_txt_encodings(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes(text.encode(encoding))
    assert read_document(path) == text


def test_gb18030_fixture_really_needs_gb18030() -> None:
    with pytest.raises(UnicodeEncodeError):
        GB18030_LONG.encode("gbk")


@pytest.mark.parametrize("bom_encoding", ["utf-16-le", "utf-16-be"])
def test_txt_utf16_both_byte_orders(tmp_path: Path, bom_encoding: str) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes("\ufeff".encode(bom_encoding) + BIG5_LONG.encode(bom_encoding))
    assert read_document(path) == BIG5_LONG


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + GB_SHORT.encode("utf-8"))
    text = read_document(path)
    assert not text.startswith("\ufeff")
    assert text == GB_SHORT


def test_line_endings_normalised_but_text_not_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    raw = "　　第一条 为提升产品质量，鼓励企业开展质量认证。\r\n\r\n第二条  本办法自发布之日起施行。\r旧 Mac 行\n"
    path.write_bytes(raw.encode("gbk"))
    assert read_document(path) == (
        "　　第一条 为提升产品质量，鼓励企业开展质量认证。\n\n第二条  本办法自发布之日起施行。\n旧 Mac 行\n"
    )


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("gbk", GB_SHORT),
        ("big5", BIG5_SHORT),
        ("gb18030", GB18030_SHORT),
        ("gbk", "第二条"),
        ("big5", "第二條"),
        # charset-normalizer 3.5.2 alone reads these as cp949 / UTF-16 / Shift-JIS:
        ("gbk", "第三条 本办法自发布之日"),
        ("gbk", "二〇二三年五月十日"),
        ("gbk", "（三）加强计量、标准、认证认可、检验检测"),
        ("big5", "現將《質量強省建設綱要》印發給你們，請認"),
        ("big5", "對於獲得中國質量獎的企業"),
    ],
)
def test_decode_bytes_short_chinese(encoding: str, text: str) -> None:
    assert decode_bytes(text.encode(encoding)) == text


def test_decode_bytes_western_text_not_forced_into_chinese() -> None:
    assert decode_bytes("Café au lait — naïve résumé of the policy".encode("cp1252")).startswith("Café au lait")


def test_decode_bytes_gbk_and_big5_are_not_confused() -> None:
    # The same characters in both encodings must each come back as themselves.
    text = "关于印发《质量强省建设纲要》的通知"
    trad = "關於印發《質量強省建設綱要》的通知"
    assert decode_bytes(text.encode("gbk")) == text
    assert decode_bytes(trad.encode("big5")) == trad


def test_decode_bytes_rejects_binary() -> None:
    with pytest.raises(ValueError):
        decode_bytes(b"\x00" * 200 + b"\x01\x02\x03\x04")


def test_zero_byte_file(tmp_path: Path) -> None:
    for suffix in (".txt", ".md", ".html", ".docx", ".pdf"):
        path = tmp_path / f"empty{suffix}"
        path.write_bytes(b"")
        assert_unreadable(path, "文件为空")


@pytest.mark.parametrize(
    "data",
    [b"  \r\n\t\n   ", "  \n".encode("utf-16"), "\u3000\u3000\n".encode()],
    ids=["ascii-spaces", "utf16-spaces", "ideographic-spaces"],
)
def test_whitespace_only_txt(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(data)
    assert_unreadable(path, "空")


@pytest.mark.parametrize(
    "data",
    [
        b"\x00" * 4096,
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 512,
        random.Random(42).randbytes(4096),
    ],
    ids=["nuls", "exe-header", "random"],
)
def test_binary_junk_named_txt(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(data)
    assert_unreadable(path, "二进制")


@pytest.mark.parametrize("name", ["table.xlsx", "setup.exe", "README", "scan.JPG"])
def test_unsupported_suffix(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"whatever")
    assert_unreadable(path, "不支持的文件类型", "unsupported")


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "POLICY.TXT"
    path.write_bytes(GB_SHORT.encode("gbk"))
    assert read_document(path) == GB_SHORT
    assert ".txt" in SUPPORTED_SUFFIXES and ".TXT" not in SUPPORTED_SUFFIXES


def test_dispatch_is_one_table_and_an_unknown_suffix_is_an_error() -> None:
    """Every supported suffix has its reader in the table (any case); any other suffix — one a reader
    could parse, too — is the "unsupported" error, never the PDF reader's guess."""
    assert frozenset(READERS) == SUPPORTED_SUFFIXES
    for suffix in SUPPORTED_SUFFIXES:
        assert reader_for(Path(f"x{suffix.upper()}")) is READERS[suffix]
    for name in ("notice.pdfx", "scan.tiff", "README"):
        with pytest.raises(UnreadableFileError, match="不支持的文件类型"):
            reader_for(Path(name))
    with pytest.raises(UnreadableFileError, match="另存为 .docx"):  # legacy formats say what to do
        reader_for(Path("old.doc"))


def test_pdf_bytes_under_an_unknown_suffix_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "办法.pdfx"
    path.write_bytes(_make_pdf(PDF_PAGES))
    assert_unreadable(path, "不支持的文件类型 .pdfx", "unsupported file type .pdfx")


def test_missing_file(tmp_path: Path) -> None:
    assert_unreadable(tmp_path / "gone.txt", "无法读取")


def test_error_message_format_and_pickling(tmp_path: Path) -> None:
    err = UnreadableFileError(tmp_path / "foo.pdf", "文件为空", "empty file")
    assert str(err) == "跳过 foo.pdf：文件为空 (empty file)"
    clone = pickle.loads(pickle.dumps(err))
    assert str(clone) == str(err) and clone.path == err.path


# --------------------------------------------------------------------------- HTML

HTML_PAGE = """<!DOCTYPE html>
<html><head>{meta}<title>质量强省_省人民政府门户网站</title>
<style>p {{ color: red }}</style><script>var 统计 = "不应出现";</script></head>
<body>
<header><div class="logo">省人民政府门户网站</div></header>
<nav><ul><li>首页</li><li>政务公开</li></ul></nav>
<div class="article">
  <h1>关于印发《质量强省建设纲要》的通知</h1>
  <p>各市、县人民政府，
     省政府各部门：</p>
  <p>第一条 为提升产品质量，鼓励企业开展<b>质量认证</b>。</p>
  <p>第二条 本办法自发布之日起施行。<br>第三条 本办法由省市场监督管理局负责解释。</p>
  <table><tr><th>项目</th><th>奖励</th></tr><tr><td>省长质量奖</td><td><p>100万元</p></td></tr></table>
  <!-- 注释不应出现 -->
  <form><input name="q"><button>搜索</button></form>
  <noscript>请启用脚本</noscript>
  <iframe src="x.html">框架</iframe>
</div>
<footer>版权所有 省人民政府办公厅</footer>
</body></html>
"""
HTML_TEXT = (
    "关于印发《质量强省建设纲要》的通知\n"
    "各市、县人民政府， 省政府各部门：\n"
    "第一条 为提升产品质量，鼓励企业开展质量认证。\n"
    "第二条 本办法自发布之日起施行。\n"
    "第三条 本办法由省市场监督管理局负责解释。\n"
    "项目：省长质量奖；奖励：100万元。"  # a data table's row names its columns
)


def test_html_boilerplate_removed_blocks_on_lines(tmp_path: Path) -> None:
    path = tmp_path / "notice.html"
    path.write_text(HTML_PAGE.format(meta='<meta charset="utf-8">'), encoding="utf-8")
    assert read_document(path) == HTML_TEXT


@pytest.mark.parametrize(
    "meta",
    ['<meta charset="gbk">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', ""],
    ids=["meta-charset", "http-equiv", "no-meta"],
)
def test_html_gbk(tmp_path: Path, meta: str) -> None:
    path = tmp_path / "notice.htm"
    path.write_bytes(HTML_PAGE.format(meta=meta).encode("gbk"))
    assert read_document(path) == HTML_TEXT


def test_html_gb2312_label_accepts_gbk_only_characters(tmp_path: Path) -> None:
    # "镕" is GBK but not GB2312; real sites labelled gb2312 contain such characters all the time.
    path = tmp_path / "gb2312.html"
    page = '<html><head><meta charset="gb2312"></head><body><p>第六条 朱镕基同志题词：质量第一。</p></body></html>'
    path.write_bytes(page.encode("gbk"))
    assert read_document(path) == "第六条 朱镕基同志题词：质量第一。"


@pytest.mark.parametrize("body", ["條款", "第五條 本辦法自公布日施行。"])
def test_html_declared_charset_wins_over_guessing(tmp_path: Path, body: str) -> None:
    # "條款" in Big5 is also valid GBK ("兵蹿"); two characters are too few to guess, the declaration decides.
    path = tmp_path / "tw.html"
    page = f'<html><head><meta charset="big5"></head><body><p>{body}</p></body></html>'
    path.write_bytes(page.encode("big5"))
    assert read_document(path) == body


def test_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "shell.html"
    path.write_text("<html><body><script>app()</script><nav>首页</nav></body></html>", encoding="utf-8")
    assert_unreadable(path, "没有正文")


# --------------------------------------------------------------------------- DOCX


def test_docx_paragraphs_and_table_in_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("质量提升专项资金管理办法", level=1)
    document.add_paragraph("第一条 为规范专项资金管理，制定本办法。")
    document.add_paragraph("第二条 专项资金用于下列奖励：")
    table = document.add_table(rows=3, cols=2)
    for row, (item, amount) in zip(table.rows, [("项目", "金额"), ("省长质量奖", "100万元"), ("标准制定", "30万元")]):
        row.cells[0].text = item
        row.cells[1].text = amount
    document.add_paragraph("第三条 本办法自发布之日起施行。")
    path = tmp_path / "办法.docx"
    document.save(path)

    assert read_document(path) == (
        "质量提升专项资金管理办法\n"
        "第一条 为规范专项资金管理，制定本办法。\n"
        "第二条 专项资金用于下列奖励：\n"
        "项目：省长质量奖；金额：100万元。\n"
        "项目：标准制定；金额：30万元。\n"
        "第三条 本办法自发布之日起施行。"
    )


def test_docx_merged_cells_appear_once(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "附件：奖励标准"
    for cell, value in zip(table.rows[1].cells, ["一等", "二等", "三等"]):
        cell.text = value
    path = tmp_path / "merged.docx"
    document.save(path)
    assert read_document(path) == "附件：奖励标准\n一等 | 二等 | 三等"


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        _zip_bytes({"hello.txt": b"not a word document"}),
        random.Random(7).randbytes(2048),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,  # legacy .doc renamed
        b"PK\x03\x04" + b"\x00" * 64,  # truncated zip
    ],
    ids=["zip-not-docx", "random", "ole-doc", "truncated-zip"],
)
def test_corrupt_docx(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(data)
    assert_unreadable(path, ".docx")


# --------------------------------------------------------------------------- PDF

PDF_PAGES = [
    ["第一条 为提升产品质量，鼓励企业开展质量认证。", "第二条 本办法自2024年1月1日起施行。"],
    ["第三条 本办法由省市场监督管理局负责解释。"],
]


def _make_pdf(pages: list[list[str]], encrypt: object = None) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # built-in CID font: no font files needed
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, encrypt=encrypt)
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            pdf.drawString(72, 750 - 20 * i, line)
        if not lines:
            pdf.rect(72, 400, 300, 200, fill=1)  # a "scanned" page: graphics, no text
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def test_pdf_chinese_pages(tmp_path: Path) -> None:
    path = tmp_path / "办法.pdf"
    path.write_bytes(_make_pdf(PDF_PAGES))
    assert read_document(path) == "\n".join(line for page in PDF_PAGES for line in page)


def test_pdf_owner_password_only_opens_with_empty_password(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = _make_pdf(PDF_PAGES, StandardEncryption("", ownerPassword="owner-secret", canCopy=0))
    assert b"/Encrypt" in data
    path = tmp_path / "restricted.pdf"
    path.write_bytes(data)
    assert read_document(path).startswith("第一条 为提升产品质量")


def test_pdf_user_password(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = tmp_path / "secret.pdf"
    path.write_bytes(_make_pdf(PDF_PAGES, StandardEncryption("user-secret", ownerPassword="owner-secret")))
    assert_unreadable(path, "密码", "password")


def test_pdf_user_password_via_pypdf_writer(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_make_pdf(PDF_PAGES))))
    writer.encrypt(user_password="abc", owner_password="def", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    assert_unreadable(path, "密码")


def test_pdf_scanned_without_text(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(_make_pdf([[], []]))
    assert_unreadable(path, "可能是扫描件，未包含可提取的文字")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + random.Random(3).randbytes(1024),
        b"this is not a pdf at all",
        random.Random(5).randbytes(4096),
    ],
    ids=["header-then-junk", "text", "random"],
)
def test_corrupt_pdf(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    assert_unreadable(path, "PDF")


def test_truncated_pdf_never_raises_other_errors(tmp_path: Path) -> None:
    full = _make_pdf(PDF_PAGES)
    path = tmp_path / "cut.pdf"
    for cut in (len(full) // 4, len(full) // 2, len(full) - 40):
        path.write_bytes(full[:cut])
        try:
            text = read_document(path)
        except UnreadableFileError as exc:
            assert "cut.pdf" in str(exc)
        else:  # pypdf may recover a truncated file; then the text must still be right
            assert text.startswith("第一条")


@pytest.mark.parametrize("name,advice", [("通知.doc", "另存为 .docx"), ("方案.wps", "另存为 .docx")])
def test_legacy_office_files_say_what_to_do(tmp_path: Path, name: str, advice: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    assert_unreadable(path, advice, "legacy")


def test_xhtml_reads_like_html(tmp_path: Path) -> None:
    path = tmp_path / "page.xhtml"
    path.write_text('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
                    "<p>一、总体要求</p><p>提升质量。</p></body></html>", encoding="utf-8")
    assert read_document(path).splitlines() == ["一、总体要求", "提升质量。"]
