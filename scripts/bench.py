"""The city-scale benchmark (``scripts/bench.sh``): PostgreSQL databases seeded with
``manage.py seed_scale`` at a small size and at ten times that size (kept for the next run unless
``--reseed``), gunicorn on the bigger one, each page driven by a load generator next to the floor
pages measured in the same run (``/healthz``, and a logged-in page with no content), the queries
of each page at both sizes, the issue-ledger Excel export at two sizes and the city open-day PDF
next to a plain WeasyPrint table of as many pages. Prints a Markdown report (stdout) for the
README; progress goes to stderr.
"""

import argparse
import atexit
import datetime
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_load
import bench_report

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
BENCH_DIR = ROOT / "data" / "bench"


def log(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--institutions",
        type=int,
        nargs="+",
        default=[50, 500],
        metavar="N",
        help="the small size and the big one (default: 50 500; one number: the big one is 10×)",
    )
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reseed", action="store_true", help="seed the databases again")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--prefix", default="bench", help="databases <prefix>_1x, <prefix>_10x")
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379",
        help="the shared cache, as production runs with it: databases 3 (1×) and 4 (10×), "
        "emptied before the run",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--min-requests", type=int, default=10)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--skip-files", action="store_true", help="no export or PDF timings")
    args = parser.parse_args()
    if len(args.institutions) == 1:
        args.institutions.append(args.institutions[0] * 10)
    return args


# Databases ---------------------------------------------------------------------------------------


def environment(args, database: str) -> dict:
    """What every process of the benchmark runs with: production settings (DEBUG off), the
    database, a key shared by the processes that make sessions and the server that reads them."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "audit_portal.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-not-secret",
        # Fixed benchmark keys (not secrets): the same in every run, so a reused database's
        # encrypted fields still read.
        "FIELD_ENCRYPTION_KEYS": "YmVuY2htYXJrLW9ubHktZmllbGQta2V5LW5vdC1zZWM=",
        "FIELD_BLIND_INDEX_KEY": "benchmark-only-blind-index-key",
        "DATABASE_URL": f"{args.server}/{database}",
        # Several web processes share one cache in production (README: REDIS_URL): sessions
        # and counts are read from it as they are there.
        "REDIS_URL": f"{args.redis}/{4 if database.endswith('_10x') else 3}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "STATIC_ROOT": str(BENCH_DIR / "static"),
        "LOG_LEVEL": "WARNING",
    }


def empty_cache(url: str) -> None:
    """Empty the benchmark's Redis database: nothing cached by an earlier run (of another
    database) is read as this run's."""
    import redis

    redis.Redis.from_url(url).flushdb()


def manage(env: dict, *command: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [str(VENV / "python"), "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return result.stdout


def prepare(args, database: str, institutions: int) -> dict:
    """The seeded database, reused when it holds the same data (its comment says so)."""
    marker = f"seed_scale --institutions {institutions} --years {args.years} --seed {args.seed}"
    env = environment(args, database)
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        found = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [database],
        ).fetchone()
        if found and not args.reseed and (found[0] or "").startswith(marker + ";"):
            log(f"{database}: reusing ({found[0]})")
            manage(env, "migrate", "--no-input", "-v0")
            return {"reused": True, **json.loads(found[0].split(";", 1)[1])}
        name = sql.Identifier(database)
        if found:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))
    log(f"{database}: migrate, then {marker}")
    manage(env, "migrate", "--no-input", "-v0")
    started = time.monotonic()
    output = manage(env, *marker.split())
    seconds = time.monotonic() - started
    rows = int(re.search(r"([\d,]+) rows", output).group(1).replace(",", ""))
    with psycopg.connect(f"{args.server}/{database}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    info = {
        "seconds": round(seconds),
        "rows": rows,
        "on": datetime.datetime.now(datetime.UTC).date().isoformat(),
    }
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        comment = f"{marker};{json.dumps(info)}"
        admin.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(database), sql.Literal(comment)
            )
        )
    log(f"{database}: {rows:,} rows in {seconds:.0f} s")
    return {"reused": False, **info}


# Child processes ---------------------------------------------------------------------------------


def task(env: dict, *command: str) -> tuple[dict, float]:
    """Run ``bench_tasks.py`` in a child process; its JSON answer and its peak memory (MB), read
    from the kernel's accounting of that one child (``os.wait4``)."""
    with tempfile.TemporaryFile(mode="w+") as out:
        process = subprocess.Popen(  # noqa: S603 - our own script
            [str(VENV / "python"), str(ROOT / "scripts" / "bench_tasks.py"), *command],
            cwd=ROOT,
            env=env,
            stdout=out,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"bench_tasks.py {' '.join(command)} failed")
        out.seek(0)
        return json.loads(out.read()), usage.ru_maxrss / 1024


# The server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(args, env: dict) -> int:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn
        [
            str(VENV / "gunicorn"),
            "audit_portal.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: stopped with its workers
    )

    def stop() -> None:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)

    atexit.register(stop)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return port
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": memory / 1024 / 1024}


def main() -> None:
    args = arguments()
    load_before = os.getloadavg()[0]
    # A stop (Ctrl-C, kill) still stops gunicorn: atexit runs on SystemExit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    small, big = args.institutions[:2]
    names = {"1x": f"{args.prefix}_1x", "10x": f"{args.prefix}_10x"}
    seeding = {
        "1x": prepare(args, names["1x"], small),
        "10x": prepare(args, names["10x"], big),
    }
    env = {size: environment(args, name) for size, name in names.items()}
    # The daily run (`manage.py count_risk`, scheduled at the start of each day) leaves every
    # institution's risk figures and issue tallies counted for today; without it a database
    # seeded yesterday (Asia/Shanghai) measures the pages' fallback to counting every issue.
    log("the daily recount (manage.py count_risk)")
    for size in names:
        manage(env[size], "count_risk")
    manage(env["10x"], "collectstatic", "--no-input", "-v0")
    for size in names:
        empty_cache(env[size]["REDIS_URL"])
    log("queries per page at 1× and 10×")
    queries = {size: task(env[size], "pages")[0]["pages"] for size in names}
    counts = task(env["10x"], "counts")[0]
    log("starting gunicorn on the 10× database")
    port = start_server(args, env["10x"])
    cookies = {
        user: task(env["10x"], "sessions", user, str(args.connections))[0]["sessions"]
        for user in {page["user"] for page in queries["10x"] if page["user"]}
    }
    loads = {}
    for page in queries["10x"]:
        log(f"driving {page['name']} ({page['path']})")
        loads[page["name"]] = bench_load.drive(
            port,
            page["path"],
            cookies.get(page["user"], [None] * args.connections),
            warmup=args.warmup,
            seconds=args.seconds,
            min_requests=args.min_requests,
        )
    files = None
    if not args.skip_files:
        files = {"baseline": task(env["10x"], "noop")[1], "exports": [], "pdf": None}
        for rows in args.rows:
            log(f"issue-ledger export, {rows:,} rows")
            files["exports"].append(task(env["10x"], "export", str(rows)))
        log("city open-day PDF")
        files["pdf"] = task(env["10x"], "pdf")
        log("plain WeasyPrint table of as many pages")
        files["plain"] = task(env["10x"], "plain", str(files["pdf"][0]["pages"]))
    report = bench_report.markdown(
        args=args,
        command=" ".join(["scripts/bench.sh", *sys.argv[1:]]),
        machine={**machine(), "load": (load_before, os.getloadavg()[0])},
        sizes={"1x": small, "10x": big},
        seeding=seeding,
        counts=counts,
        queries=queries,
        loads=loads,
        files=files,
    )
    print(report)
    (BENCH_DIR / "last.md").write_text(report, encoding="utf-8")
    log(f"written to {BENCH_DIR / 'last.md'}")


if __name__ == "__main__":
    main()
