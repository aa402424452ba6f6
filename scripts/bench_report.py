"""The benchmark's report: Markdown to paste into the README."""

import datetime
import platform


def _ms(seconds: float) -> str:
    milliseconds = seconds * 1000
    if milliseconds >= 1000:
        return f"{seconds:.2f} s"
    return f"{milliseconds:.1f} ms" if milliseconds < 10 else f"{milliseconds:.0f} ms"


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def _ratio(value: float, floor: float) -> str:
    ratio = value / floor if floor else float("nan")
    return f"{ratio:.1f}" if ratio < 100 else f"{ratio:.0f}"


def markdown(*, args, command, machine, sizes, seeding, counts, queries, loads, files) -> str:
    now = datetime.datetime.now(datetime.UTC)
    pages = queries["10x"]
    floors = {page["floor"]: loads[page["name"]].p50 for page in pages if page.get("floor")}
    lines = [
        "### City-scale benchmark",
        "",
        f"- Date: {now:%Y-%m-%d %H:%M} UTC; command: `{command}`",
        f"- Machine: {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['memory_gb']:.0f} GB RAM; {platform.system()} {platform.release()}; "
        f"PostgreSQL {counts['postgres']}, Python {platform.python_version()}, "
        f"Django {counts['django']}; load average (1 min) {machine['load'][0]:.1f} before the "
        f"run, {machine['load'][1]:.1f} after (other work on the machine skews the timings)",
        f"- Server: gunicorn, {args.workers} sync workers, DEBUG off, Redis as the shared cache "
        "(sessions read from it), on 127.0.0.1; the daily `count_risk` run before; load: "
        f"{args.connections} concurrent keep-alive connections (http.client threads), "
        f"{args.warmup:g} s warm-up then {args.seconds:g} s (at least {args.min_requests} "
        "requests) per page",
        "- Data (10×): "
        + ", ".join(f"{n:,} {name}" for name, n in counts["counts"].items())
        + f" ({args.years} years, seed {args.seed})",
        "",
        "| data | institutions | rows | seeding (`manage.py seed_scale`) |",
        "|---|---|---|---|",
    ]
    for size in ("1x", "10x"):
        seeded = seeding[size]
        when = f"reused, seeded {seeded['on']} in" if seeded["reused"] else ""
        lines.append(
            f"| {size.replace('x', '×')} | {sizes[size]:,} | {seeded['rows']:,} | "
            f"{when} {_duration(seeded['seconds'])} |".replace("|  ", "| ")
        )
    lines += [
        "",
        "| page (10× data) | user | queries 1× | queries 10× | p50 | p99 | req/s | "
        "× `/healthz` | × floor | requests | in process: rows written | rows kept |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    small = {page["name"]: page for page in queries["1x"]}
    for page in pages:
        load = loads[page["name"]]
        errors = ", ".join(f"{n}× {status or 'failed'}" for status, n in load.errors.items())
        status = "" if page["status"] == 200 else f" (answers {page['status']})"
        lines.append(
            f"| {page['name']}{status} | {page['user'] or 'anonymous'} | "
            f"{small[page['name']]['queries']} | {page['queries']} | {_ms(load.p50)} | "
            f"{_ms(load.p99)} | {load.rate:.1f} | {_ratio(load.p50, floors['healthz'])} | "
            f"{_ratio(load.p50, floors['login'])} | {load.requests}"
            + (f" ({errors})" if errors else "")
            + f" | {_ms(page['fresh_ms'] / 1000)} | {_ms(page['kept_ms'] / 1000)} |"
        )
    lines += [
        "",
        "“× floor”: p50 over the p50 of the logged-in page with no content, measured in the same "
        "run; queries counted in-process (django.test.Client, the same user, caches warm). "
        "The last two columns: the page's median time in one process without HTTP, with its "
        "rows' markup written afresh (`{% memo %}` emptied: the first visitor of that data) and "
        "kept (the next visitors of the same data, as the load above measures).",
    ]
    if files:
        lines += _files(files)
    return "\n".join(lines) + "\n"


def _files(files: dict) -> list[str]:
    lines = [
        "",
        "| file (10× data, one child process each) | size | time | per unit | peak RSS |",
        "|---|---|---|---|---|",
    ]
    for export, memory in files["exports"]:
        lines.append(
            f"| issue-ledger Excel | {export['rows']:,} rows | {_ms(export['seconds'])} | "
            f"{export['seconds'] / export['rows'] * 1e6:.0f} µs/row | {memory:.0f} MB |"
        )
    pdf, pdf_memory = files["pdf"]
    plain, plain_memory = files["plain"]
    per_page = pdf["seconds"] / pdf["pages"]
    plain_per_page = plain["seconds"] / plain["pages"]
    lines += [
        f"| city open-day PDF ({pdf['entries']} institutions) | {pdf['pages']} pages | "
        f"{_ms(pdf['seconds'])} | {_ms(per_page)}/page | {pdf_memory:.0f} MB |",
        f"| plain WeasyPrint table ({plain['rows']:,} rows of 3 cells) | {plain['pages']} pages | "
        f"{_ms(plain['seconds'])} | "
        f"{_ms(plain_per_page)}/page | {plain_memory:.0f} MB |",
        "",
        f"City PDF per page: {per_page / plain_per_page:.2f}× the plain table's. Peak RSS of a "
        f"child that only sets Django up: {files['baseline']:.0f} MB.",
    ]
    return lines
