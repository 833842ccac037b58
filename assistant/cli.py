"""The command line: `python -m assistant check|import|render|draft|eval|new|audit ...`."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypedDict

from assistant.checks.checking import Checked, by_severity, check_imported
from assistant.checks.fill import fill
from assistant.checks.findings import FindingJSON
from assistant.checks.peers import find_peer_similar
from assistant.checks.rules import Finding, count_by_severity, describe
from assistant.format import layout
from assistant.format.models import Report, derive_short_name, report_to_json, year_problem
from assistant.importers.files import expand_paths, read_path
from assistant.importers.result import Imported, ReadError

if TYPE_CHECKING:
    from assistant.drafting.drafter import Oversight
    from assistant.drafting.llm import ChatClient

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
_SEVERITY_WORDS = {"error": "错误", "warning": "警告", "cannot-check": "无法核对"}


def _load_previous(path: Path | None) -> tuple[Report | None, str | None]:
    if path is None:
        return None, None
    try:
        return _read_for_check(path).report, None
    except ReadError as exc:
        return None, f"{path}: 无法读取上年报告：{exc}"


def _read_for_check(path: Path) -> Imported:
    """read_path, with any failure it did not foresee turned into a ReadError: one file never stops the others."""
    try:
        return read_path(path)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(f"读取时出错（{type(exc).__name__}），文件可能已损坏") from None


def _print_text(results: list[Checked], out: TextIO) -> None:
    for result in results:
        if result.error:
            print(f"{result.file}: 无法读取：{result.error}", file=out)
            continue
        findings = list(result.findings)
        counts = count_by_severity(findings)
        print(
            f"{result.file}: {counts['error']} 个错误，{counts['warning']} 个警告，{counts['cannot-check']} 项无法核对",
            file=out,
        )
        for f in findings:
            print(f"  {_SEVERITY_WORDS[f.severity]:<4} {f.rule:<11} {f.message}", file=out)


def _summary(results: list[Checked]) -> str:
    readable = [r for r in results if not r.error]
    per_rule: dict[str, int] = {}
    errors = warnings = 0
    for r in readable:
        for f in r.findings:
            if f.severity == "error":
                errors += 1
                per_rule[f.rule] = per_rule.get(f.rule, 0) + 1
            elif f.severity == "warning":
                warnings += 1
    rules = "，".join(f"{rule} {n}" for rule, n in sorted(per_rule.items()))
    return (
        f"共 {len(results)} 份报告：{len(results) - len(readable)} 份无法读取，"
        f"{errors} 个错误，{warnings} 个警告" + (f"（错误按规则：{rules}）" if rules else "")
    )


def _pair_years(loaded: list[tuple[Path, Imported]]) -> dict[Path, Report]:
    """Last year's report for each report, among those read in the same call: same agency, previous year."""
    by_key = {(_agency_key(i.report.agency), i.report.year): i.report for _, i in loaded}
    pairs = {}
    for path, imported in loaded:
        previous = by_key.get((_agency_key(imported.report.agency), imported.report.year - 1))
        if previous is not None:
            pairs[path] = previous
    return pairs


def _agency_key(agency: str) -> str:
    """Reports of one body pair up even when one title says 淮安市洪泽区人民政府 and the other 洪泽区人民政府."""
    return derive_short_name("".join(agency.split()))


def _print_csv(results: list[Checked], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(["文件", "规则", "严重程度", "单元格", "说明"])
    for result in results:
        if result.error:
            writer.writerow([result.file, "READ", "error", "", result.error])
            continue
        for f in result.findings:
            writer.writerow(
                [result.file, f.rule, f.severity, "；".join(describe(c) for c in f.cells), f.message]
            )


class _ReadJSON(TypedDict):
    file: str
    findings: list[FindingJSON]


class _UnreadableJSON(TypedDict):
    file: str
    error: str
    findings: list[FindingJSON]  # always empty: kept so that every entry has the key


def _json_entry(result: Checked) -> _ReadJSON | _UnreadableJSON:
    """One file as `check --format json` prints it (README: the JSON shape of check)."""
    if result.error:
        return {"file": result.file, "error": result.error, "findings": []}
    return {"file": result.file, "findings": [f.to_dict() for f in result.findings]}


def cmd_check(args: argparse.Namespace) -> int:
    """Check reports; exit 0 without errors, 1 with errors, 2 when an input cannot be read."""
    if args.output is not None and args.format != "html":
        print("-o 只用于 --format html；其他格式输出到屏幕（可用 > 写入文件）", file=sys.stderr)
        return EXIT_UNREADABLE
    previous, problem = _load_previous(args.previous)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_UNREADABLE
    results: list[Checked] = []
    loaded: list[tuple[Path, Imported]] = []
    paths = list(expand_paths(args.paths))
    for path in paths:
        try:
            loaded.append((path, _read_for_check(path)))
        except ReadError as exc:
            results.append(Checked(str(path), error=str(exc)))
    # Without --previous, reports of one agency in consecutive years pair up by themselves.
    pairs = {} if previous is not None else _pair_years(loaded)
    peers = find_peer_similar([(str(path), imported.report) for path, imported in loaded])
    for path, imported in loaded:
        try:
            findings = check_imported(imported, previous or pairs.get(path))
        except Exception as exc:
            # A value no rule foresaw: this file is reported unreadable, the others go on.
            reason = f"无法核对（{type(exc).__name__}），文件中可能有异常的数值"
            results.append(Checked(str(path), error=reason))
            continue
        if str(path) in peers:
            findings = by_severity(findings + peers[str(path)])
        results.append(Checked(str(path), tuple(findings)))
    order = {str(p): n for n, p in enumerate(paths)}
    results.sort(key=lambda r: order.get(r.file, 0))
    if args.format == "html":
        from assistant.export.overview import overview_html

        page = overview_html(results)
        if args.output is None:
            sys.stdout.write(page)
        elif _write(args.output, page.encode("utf-8")):
            print(f"已生成 {args.output}（{len(results)} 份报告）")
        else:
            return EXIT_UNREADABLE
    elif args.format == "json":
        payload = [_json_entry(r) for r in results]
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.format == "csv":
        _print_csv(results, sys.stdout)
    else:
        _print_text(results, sys.stdout)
        if len(results) > 1:
            print(_summary(results))
    if not results:
        print("没有找到可检查的报告文件", file=sys.stderr)
        return EXIT_UNREADABLE
    if any(r.error for r in results):
        return EXIT_UNREADABLE
    if any(f.severity == "error" for r in results for f in r.findings):
        return EXIT_ERRORS
    return EXIT_OK


def _read_one(path: Path) -> Report | None:
    """A report from any file check reads, or None after printing why it cannot be read."""
    try:
        return read_path(path).report
    except ReadError as exc:
        print(f"{path}: 无法读取：{exc}", file=sys.stderr)
        return None


def _write(path: Path, data: bytes) -> bool:
    try:
        path.write_bytes(data)
        return True
    except OSError as exc:
        print(f"{path}: 无法写入：{exc.strerror}", file=sys.stderr)
        return False


def _errors_in_words(errors: list[Finding]) -> str:
    """How many errors and of which rules, for one line of output: 3 个错误（T3-BALANCE 2、EMPTY 1）."""
    per_rule: dict[str, int] = {}
    for f in errors:
        per_rule[f.rule] = per_rule.get(f.rule, 0) + 1
    return f"{len(errors)} 个错误（{'、'.join(f'{rule} {n}' for rule, n in per_rule.items())}）"


def _render_refused(source: Path, output: Path, errors: list[Finding]) -> None:
    print(
        f"{source}: 未生成 {output}：报告有 {_errors_in_words(errors)}，发布出去会带着错误。", file=sys.stderr
    )
    for f in errors[:5]:
        print(f"  {f.rule:<11} {f.message}", file=sys.stderr)
    if len(errors) > 5:
        print(f"  ……另有 {len(errors) - 5} 个，用 check 命令查看全部", file=sys.stderr)
    print("请改正后再生成；确需先生成（如送审稿），加 --force。", file=sys.stderr)


def cmd_render(args: argparse.Namespace) -> int:
    """Render a report in the official layout, .docx or .pdf by the output's suffix (PDF through LibreOffice):
    only without errors, or with --force."""
    from assistant.export.word import render_docx

    try:
        imported = read_path(args.source)
    except ReadError as exc:
        print(f"{args.source}: 无法读取：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    # The same findings as `check` (import notes included): a Word file is what gets published.
    errors = [f for f in check_imported(imported) if f.severity == "error"]
    if errors and not args.force:
        _render_refused(args.source, args.output, errors)
        return EXIT_ERRORS
    if args.output.suffix.lower() == ".pdf":
        from assistant.export.pdf import PdfError, render_pdf

        try:
            data = render_pdf(fill(imported.report))
        except PdfError as exc:
            print(f"{args.output}: {exc}", file=sys.stderr)
            return EXIT_UNREADABLE
    else:
        data = render_docx(fill(imported.report))
    if not _write(args.output, data):
        return EXIT_UNREADABLE
    carried = f"；报告含 {_errors_in_words(errors)}，尚未改正" if errors else "（没有错误）"
    print(f"已生成 {args.output}{carried}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """Import a report from any readable format into the report JSON."""
    try:
        imported = read_path(args.source)
    except ReadError as exc:
        print(f"{args.source}: 无法读取：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not _write(args.output, report_to_json(imported.report).encode("utf-8")):
        return EXIT_UNREADABLE
    print(f"已导入 {args.source} → {args.output}（{imported.report.agency} {imported.report.year}年）")
    for note in imported.notes:
        print(f"  注意：{note.message}")
    return EXIT_OK


def cmd_rollup(args: argparse.Namespace) -> int:
    """Sum one year's reports of many bodies; list the missing, other years, duplicates; write JSON or .xlsx."""
    from assistant.rollup import read_roster, roll_up, rollup_to_dict

    roster = None
    if args.roster is not None:
        try:
            roster = read_roster(args.roster)
        except ReadError as exc:
            print(f"{args.roster}: {exc}", file=sys.stderr)
            return EXIT_UNREADABLE
    rollup = roll_up(args.paths, roster, args.year)
    for file, error in rollup.unreadable:
        print(f"{file}: 无法读取：{error}", file=sys.stderr)
    if not rollup.bodies:
        print(f"没有找到{rollup.year or ''}年度可汇总的报告", file=sys.stderr)
        return EXIT_UNREADABLE
    kind = args.format or ("xlsx" if args.output.suffix.lower() == ".xlsx" else "json")
    if kind == "xlsx":
        from assistant.workbook import rollup_workbook

        data = rollup_workbook(rollup)
    else:
        data = json.dumps(rollup_to_dict(rollup), ensure_ascii=False, indent=2).encode("utf-8")
    if not _write(args.output, data):
        return EXIT_UNREADABLE
    errors = sum(f.severity == "error" for b in rollup.bodies for f in b.findings)
    print(
        f"已汇总 {rollup.year} 年 {len(rollup.bodies)} 个机关的报告 → {args.output}"
        f"（{errors} 个错误；未报送 {len(rollup.missing)} 个，其他年度 {len(rollup.other_year)} 份，"
        f"重复 {len(rollup.duplicates)} 份，无法读取 {len(rollup.unreadable)} 份）"
    )
    for name in rollup.missing:
        print(f"  未报送：{name}")
    for body in rollup.not_on_roster:
        print(f"  不在名单上（已计入合计）：{body.agency}（{body.file}）")
    for body in rollup.other_year:
        print(f"  其他年度（未计入）：{body.file} 是 {body.imported.report.year} 年度报告")
    for kept, left in rollup.duplicates:
        print(f"  重复（未计入）：{left.file} 与 {kept.file} 是同一机关“{kept.agency}”的报告")
    if rollup.unreadable:
        return EXIT_UNREADABLE
    return EXIT_ERRORS if errors else EXIT_OK


def _client(offline: bool) -> ChatClient | None:
    """The configured model, or None for the offline drafter."""
    from assistant.drafting.llm import OpenAIChat, load_settings

    settings = load_settings()
    if offline or not settings.configured:
        return None
    return OpenAIChat(settings)


def _oversight(client: ChatClient | None, origin: str) -> Oversight | None:
    """The audit log and 密级 words of ASSISTANT_DB for a command that sends to a model; None (after saying why)
    when the database cannot be opened: no request goes unrecorded."""
    from assistant.drafting.drafter import Oversight
    from assistant.drafting.secrecy import parse_words
    from assistant.store import Store, StoreError, db_path

    if client is None:
        return Oversight(origin=origin)
    try:
        store = Store(db_path())
        words = parse_words(store.settings().get("secrecy_words", ""))
    except StoreError as exc:
        print(f"无法记录模型调用日志，没有发送任何内容：{exc}", file=sys.stderr)
        return None
    return Oversight(record=store.record_request, secrecy_words=words, origin=origin)


def cmd_draft(args: argparse.Namespace) -> int:
    """Draft the empty parts (or all with --force); a failed part keeps its text and the exit code is 1."""
    from assistant.checks.placeholders import find_placeholders
    from assistant.drafting.drafter import adopt, draft_all, text_as_notes
    from assistant.drafting.prompts import DRAFT_PARTS

    report = _read_one(args.source)
    if report is None:
        return EXIT_UNREADABLE
    previous = _read_one(args.previous) if args.previous else None
    unknown = [p for p in args.parts or () if p not in DRAFT_PARTS]
    if unknown:
        print(f"未知的部分：{'、'.join(unknown)}（可选：{'、'.join(DRAFT_PARTS)}）", file=sys.stderr)
        return EXIT_UNREADABLE
    for key in report.parts:
        text_as_notes(report, key)  # an imported report: its own text is what the clerk said
    wanted = tuple(args.parts or DRAFT_PARTS)
    keys = tuple(k for k in wanted if args.force or not report.parts[k].text.strip())
    client = _client(args.offline)
    oversight = _oversight(client, "draft")
    if oversight is None:
        return EXIT_UNREADABLE
    print(f"起草方式：{'离线起草' if client is None else '模型 ' + client.model}；起草 {len(keys)} 个部分")
    failed = 0
    for key, result in draft_all(report, client, previous, keys, oversight=oversight).items():
        heading = layout.PART_BY_KEY[key].heading
        if result.version is None:
            failed += 1
            print(f"  {heading}：失败，保留原有文字。原因：{result.error}")
            continue
        adopt(report, key, result.version)
        marks = result.version.marks
        note = f"，有 {len(marks)} 个数字找不到来源：{'、'.join(m.text for m in marks)}" if marks else ""
        if gaps := find_placeholders(result.version.text):
            note += f"，有 {len(gaps)} 处待填写：{'、'.join(g.text for g in gaps)}"
        print(f"  {heading}：已起草（{len(result.version.text)} 字{note}）")
        if result.notice:
            print(f"    注意：{result.notice}")
    skipped = [layout.PART_BY_KEY[k].heading for k in wanted if k not in keys]
    if skipped:
        print(f"  已有文字、未重新起草：{'、'.join(skipped)}（用 --force 重新起草）")
    if not _write(args.output, report_to_json(report).encode("utf-8")):
        return EXIT_UNREADABLE
    print(f"已保存 {args.output}")
    return EXIT_ERRORS if failed else EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    """Draft the evaluation cases against the configured model and print the scores."""
    from assistant.drafting.evaluation import CASES_DIR, evaluate_case, format_scores, load_cases

    cases = load_cases(args.cases or CASES_DIR)
    if not cases:
        print(f"{args.cases}: 没有找到评测案例（*.json）", file=sys.stderr)
        return EXIT_UNREADABLE
    client = _client(args.offline)
    oversight = _oversight(client, "eval")
    if oversight is None:
        return EXIT_UNREADABLE
    print(f"评测：{len(cases)} 个案例，{'离线起草' if client is None else '模型 ' + client.model}")
    scores = [score for case in cases for score in evaluate_case(case, client, oversight)]
    print(format_scores(scores))
    return EXIT_OK if all(s.passed for s in scores) else EXIT_ERRORS


def cmd_audit(args: argparse.Namespace) -> int:
    """Print the log of model requests kept in the database (ASSISTANT_DB, or --db)."""
    from assistant.drafting.audit import FIELDS
    from assistant.store import Store, StoreError, db_path

    path: Path = args.db or db_path()
    if not path.exists():
        print(f"{path}: 数据库文件不存在，还没有任何模型调用记录", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        records = Store(path).audit_log()
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    if args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(FIELDS)
        writer.writerows(r.row() for r in records)
        return EXIT_OK
    if not records:
        print(f"{path}: 还没有任何模型调用记录")
        return EXIT_OK
    for r in records:
        time_, origin, host, model, report, part, sent, received, seconds, outcome, detail = r.row()
        print(
            f"{time_}  {outcome:<4} {origin or '-':<5} {host} {model}  {report}·{part}  "
            f"发送 {sent} 字，接收 {received} 字，用时 {seconds} 秒" + (f"  {detail}" if detail else "")
        )
    print(f"共 {len(records)} 条记录")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """Start next year's report from last year's."""
    from assistant.newyear import start_next_year

    last = _read_one(args.last)
    if last is None:
        return EXIT_UNREADABLE
    if (problem := year_problem(last.year + 1)) is not None:
        print(f"无法从 {last.year} 年报告生成下一年的报告：{problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    report = start_next_year(last)
    if not _write(args.output, report_to_json(report).encode("utf-8")):
        return EXIT_UNREADABLE
    print(
        f"已从 {last.year} 年报告生成 {report.year} 年报告：{args.output}（已带入上年结转和现行有效件数；其余单元格为空白，请逐项填写，没有发生的填 0）"
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m assistant", description="年报助手：政府信息公开工作年度报告"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="检查报告的表格勾稽关系和正文")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.add_argument(
        "--previous", type=Path, default=None, help="上一年度的报告，用于核对结转和现行有效件数"
    )
    check.add_argument("--format", choices=("text", "json", "csv", "html"), default="text")
    check.add_argument(
        "-o", "--output", type=Path, default=None, metavar="OVERVIEW.html", help="--format html 时写入的文件"
    )
    check.set_defaults(func=cmd_check)
    render = sub.add_parser(
        "render", help="生成符合公文格式的 Word 文件（输出为 .pdf 时经 LibreOffice 转为 PDF）"
    )
    render.add_argument("source", type=Path, metavar="SOURCE")
    render.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.docx|OUT.pdf")
    render.add_argument("--force", action="store_true", help="报告有错误也生成（并说明有几个错误）")
    render.set_defaults(func=cmd_render)
    imp = sub.add_parser("import", help="导入报告（.docx、.txt、.md、.json）为报告 JSON")
    imp.add_argument("source", type=Path, metavar="SOURCE")
    imp.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.json")
    imp.set_defaults(func=cmd_import)
    new = sub.add_parser("new", help="从上年报告开始新一年的报告")
    new.add_argument("--from", dest="last", type=Path, required=True, metavar="LAST")
    new.add_argument("-o", "--output", type=Path, required=True, metavar="NEW.json")
    new.set_defaults(func=cmd_new)
    draft = sub.add_parser("draft", help="起草正文（未配置模型时离线起草）")
    draft.add_argument("source", type=Path, metavar="SOURCE")
    draft.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.json")
    draft.add_argument("--parts", nargs="+", metavar="PART", help="只起草这些部分，如 overview.active other")
    draft.add_argument("--force", action="store_true", help="已有文字的部分也重新起草")
    draft.add_argument("--offline", action="store_true", help="不调用模型，用离线起草")
    draft.add_argument("--previous", type=Path, default=None, help="上一年度的报告（延续性参考）")
    draft.set_defaults(func=cmd_draft)
    rollup = sub.add_parser(
        "rollup", help="汇总多个机关同一年度的报告（表二、三、四），列出未报送和重复的机关"
    )
    rollup.add_argument("paths", nargs="+", type=Path, metavar="REPORTS")
    rollup.add_argument(
        "--roster", type=Path, default=None, metavar="BODIES.csv", help="应报送的机关名单（CSV，每行一个）"
    )
    rollup.add_argument("--year", type=int, default=None, help="汇总的年度（默认：报告最多的年度）")
    rollup.add_argument("-o", "--output", type=Path, required=True, metavar="SUMMARY.json")
    rollup.add_argument("--format", choices=("json", "xlsx"), default=None, help="默认按输出文件的后缀")
    rollup.set_defaults(func=cmd_rollup)
    evaluate = sub.add_parser("eval", help="用评测案例检验模型起草的质量")
    evaluate.add_argument("--cases", type=Path, default=None, metavar="DIR")
    evaluate.add_argument("--offline", action="store_true")
    evaluate.set_defaults(func=cmd_eval)
    audit = sub.add_parser("audit", help="查看模型调用日志（发送到哪里、哪份报告、多少字、结果）")
    audit.add_argument(
        "--db", type=Path, default=None, metavar="PATH", help="数据库文件（默认 ASSISTANT_DB）"
    )
    audit.add_argument("--format", choices=("text", "csv"), default="text")
    audit.set_defaults(func=cmd_audit)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    return func(args)
