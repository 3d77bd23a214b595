"""What the subcommands share: exit codes, the error line, option groups, opening outputs.

Every command module imports this one and click, and nothing heavy at module level: the engine,
the renderers and the data models are imported inside the command functions, so that defining
the commands (`privcheck --help`, `privcheck init`) costs no more than click itself.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import click

from checker.choices import FAIL_ON

if TYPE_CHECKING:
    from checker.config import Config
    from checker.engine import Plan
    from checker.paths import PathFilter
    from checker.plans import Plans
    from checker.runner import Monitor, Result

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

F = Callable[..., Any]


def error(message: str) -> None:
    """The one-line error form every command uses on stderr."""
    from checker.sanitize import display  # control and bidi characters never reach a terminal

    click.echo(f"privcheck: error: {display(message)}", err=True)


def split(values: Iterable[str]) -> list[str]:
    """Repeated and comma-separated option values as one list: `--select a,b --select c`."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def open_output(output: str | None, stream: bool = False) -> IO[str]:
    """The report's destination: stdout, or the file named by -o, which appears only when the
    run ends normally (see checker/atomic.py); `stream` keeps a partial JSONL stream visible."""
    if not output:
        return sys.stdout
    from checker.atomic import open_output as open_atomic

    return open_atomic(output, stream=stream)


def close_output(out: IO[str]) -> None:
    if out is not sys.stdout:
        out.close()


def _apply(func: F, options: list[Callable[[F], F]]) -> F:
    for option in reversed(options):
        func = option(func)
    return func


# ---- option groups --------------------------------------------------------------------------

def config_option(func: F) -> F:
    return click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
                        help="Configuration file (default: privcheck.yaml found upwards).")(func)


def encoding_option(func: F) -> F:
    return click.option("--encoding",
                        help="Decode policies with this encoding instead of UTF-8.")(func)


def selection_options(func: F) -> F:
    """--select and --ignore: rule ids or pack names, repeated or comma-separated."""
    return _apply(func, [
        click.option("--select", multiple=True,
                     help="Only these rule ids or packs (comma-separated)."),
        click.option("--ignore", multiple=True,
                     help="Skip these rule ids or packs (comma-separated)."),
    ])


def max_size_option(func: F) -> F:
    return click.option("--max-size", type=float,
                        help="Largest policy file to read, in MB [default: 5].")(func)


def fail_on_option(help_text: str) -> Callable[[F], F]:
    return click.option("--fail-on", type=click.Choice(FAIL_ON), default=None, help=help_text)


def output_options(func: F) -> F:
    """The extra report files and the baseline, as options of `check`."""
    return _apply(func, [
        click.option("--sarif", "sarif_file", type=click.Path(dir_okay=False),
                     help="Also write SARIF 2.1.0 here (for GitHub code scanning)."),
        click.option("--junit", "junit_file", type=click.Path(dir_okay=False),
                     help="Also write JUnit XML here (GitLab, Jenkins)."),
        click.option("--markdown", "markdown_file", type=click.Path(dir_okay=False),
                     help="Also write the Markdown summary here (a PR comment)."),
        click.option("--json-file", "json_file", type=click.Path(dir_okay=False),
                     help="Also write the JSON report here."),
        click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
                     help="Fail only on failures not recorded in this baseline file."),
    ])


# What `-o FILE` says about the format wanted when --format is not given.
_EXTENSION_FORMATS = {
    ".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".csv": "csv",
    ".json": "json", ".jsonl": "jsonl", ".sarif": "sarif", ".xml": "junit", ".txt": "text",
}


def format_from_output(output: str | None, offered: Iterable[str]) -> str | None:
    """The format an output file's extension names, if the command offers it (`report -o r.md`
    writes Markdown), else None."""
    if not output:
        return None
    fmt = _EXTENSION_FORMATS.get(os.path.splitext(output)[1].lower())
    return fmt if fmt in set(offered) else None


def load_plan(config_path: str | None, select: Iterable[str] = (), ignore: Iterable[str] = (),
              max_size: float | None = None,
              adjust: Callable[[Config], Config] | None = None) -> tuple[Config, Plan]:
    """The configuration and the resolved rules of a run, from the shared options; `adjust`
    lays command-line choices over the file's settings (e.g. --offline, --bundle)."""
    from checker.config import load_config
    from checker.engine import make_plan

    config = load_config(config_path)
    if adjust is not None:
        config = adjust(config)
    if max_size:
        config = config.model_copy(update={"max_size_mb": max_size})
    return config, make_plan(config, split(select), split(ignore))


def load_plans(config_path: str | None, select: Iterable[str] = (),
               ignore: Iterable[str] = (), max_size: float | None = None,
               adjust: Callable[[Config], Config] | None = None,
               results_cache: bool = False) -> tuple[Config, Plans]:
    """As load_plan, plus each policy's own configuration (the nearest above it) unless
    --config names one for all. `results_cache`: policies checked before under the same
    settings are read from the results cache, and no plan is built until one is not."""
    from checker.config import load_config
    from checker.plans import Plans

    config = load_config(config_path)
    if adjust is not None:
        config = adjust(config)
    if max_size:
        config = config.model_copy(update={"max_size_mb": max_size})
    plans = Plans(config, per_file=not config_path, select=split(select), ignore=split(ignore),
                  max_size=max_size, adjust=adjust, results_cache=results_cache)
    plans.validate()  # a configuration that makes no plan is the run's error, before any file
    return config, plans


def path_filter(config: Config, force_exclude: bool = False) -> PathFilter:
    """Which files are policies, from the run's configuration (see checker/paths.py)."""
    from checker.paths import PathFilter

    return PathFilter(root=config.base, include=config.include, exclude=config.exclude,
                      gitignore=config.respect_gitignore, forced=force_exclude)


def default_paths(paths: tuple[str, ...], config: Config) -> tuple[str, ...]:
    """The PATH arguments, or the configuration's `paths:` (relative to its folder) when none
    were given; shown relative to the working directory when they lie under it."""
    if paths or not config.paths:
        return paths
    out = []
    for p in config.paths:
        full = p if os.path.isabs(p) else os.path.normpath(os.path.join(config.base, p))
        rel = os.path.relpath(full)
        out.append(full if rel.startswith("..") else rel)
    return tuple(out)


force_exclude_option = click.option(
    "--force-exclude", is_flag=True,
    help="Apply the config's include/exclude and .gitignore to files named on the command line "
    "too (the pre-commit hook passes it).")


# ---- the scale options of `check` and `report` ------------------------------------------------

@dataclass
class RunOptions:
    """How to find the policies and spread the work: the scale flags of `check` and `report`."""

    from_list: str | None = None
    jobs: int = 1
    progress: bool | None = None  # None: on when stderr is a terminal
    engine: str = "local"
    scheduler: Any = None  # an address, or a distributed.Client (tests, embedding)
    stdin_filename: str | None = None  # the path `-` (standard input) is reported as
    filter: PathFilter | None = None  # which files in folders are policies (from the config)

    def sources(self, paths: Iterable[str]) -> Iterator[str]:
        """The command-line paths, then those listed in --from-list (one per line, '-' stdin)."""
        from checker.paths import iter_policy_paths

        yield from iter_policy_paths(paths, self.filter)
        if self.from_list:
            yield from _listed(self.from_list, self.filter)

    def results(self, paths: tuple[str, ...], plan: Plan | Plans, encoding: str | None,
                monitor: Monitor) -> Generator[Result, None, None]:
        """Every policy's result in input order. Callers hold it in `contextlib.closing`, so
        that an interrupt while they handle a result stops the `--jobs` workers at once rather
        than whenever the suspended generator is collected."""
        from checker.runner import run_checks

        if not paths and not self.from_list:
            raise click.UsageError("give PATH arguments, --from-list FILE, or `paths:` in the "
                                   "configuration")
        if "-" in paths:
            if len(paths) > 1 or self.from_list:
                raise click.UsageError("`-` (read the policy from standard input) must be "
                                       "the only PATH, without --from-list")
            result = check_stdin(self.stdin_filename or "-", plan, encoding)
            monitor.add(result)
            yield result
            return
        checks = run_checks(self.sources(paths), plan, encoding, self.jobs, self.engine,
                            self.scheduler)
        try:
            for result in checks:
                monitor.add(result)
                yield result
        finally:  # an interrupt here or in the caller stops the workers now, not at exit
            checks.close()


def check_stdin(name: str, plan: Plan | Plans, encoding: str | None) -> Result:
    """The policy on standard input, checked and reported as `name` (--stdin-filename), whose
    extension also picks the reader. Refusals are those of a file: too big, empty, binary."""
    from checker.engine import check_document
    from checker.errors import PrivcheckError
    from checker.plans import Plans
    from checker.readers import decode, parse_policy
    from checker.records import InputError

    if isinstance(plan, Plans):
        plan = plan.default if name == "-" else plan.for_path(name)
    limit = int(plan.config.max_size_mb * 1024 * 1024)
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        return InputError(path=name, message=f"standard input is over the "
                          f"{limit / 1048576:.1f} MB limit (raise it with --max-size)")
    if not data.strip():
        return InputError(path=name, message="empty input")
    try:
        return check_document(parse_policy(name, decode(name, data, encoding)), plan)
    except PrivcheckError as exc:
        return InputError(path=name, message=exc.message, line=exc.line)


def _listed(list_file: str, filt: PathFilter | None = None) -> Iterator[str]:
    """Lines of a list file as paths; folders and globs in it are expanded like arguments."""
    import glob

    from checker.paths import iter_policy_paths

    handle = sys.stdin if list_file == "-" else open(list_file, encoding="utf-8")  # noqa: SIM115
    try:
        for line in handle:
            path = line.strip()
            if not path or path.startswith("#"):
                continue
            if os.path.isdir(path) or (glob.has_magic(path) and not os.path.exists(path)):
                yield from iter_policy_paths([path], filt)
            else:
                yield path  # a missing file is reported by check_file, in its place
    finally:
        if handle is not sys.stdin:
            handle.close()


def run_options(func: F) -> F:
    """Add --from-list, --jobs, --progress, --engine and --scheduler; pass them as `run`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from checker.runner import default_jobs

        kwargs["run"] = RunOptions(
            from_list=kwargs.pop("from_list"), jobs=kwargs.pop("jobs") or default_jobs(),
            progress=kwargs.pop("progress"), engine=kwargs.pop("engine"),
            scheduler=kwargs.pop("scheduler"), stdin_filename=kwargs.pop("stdin_filename"),
        )
        return func(*args, **kwargs)

    return _apply(wrapper, [
        click.option("--from-list", type=click.Path(exists=True, dir_okay=False, allow_dash=True),
                     help="Also check the paths listed in FILE, one per line ('-': stdin)."),
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                     help="Worker processes [default: the machine's cores]."),
        click.option("--progress/--no-progress", default=None,
                     help="Progress bar and closing line on stderr [default: when a terminal]."),
        click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
                     show_default=True, help="Where to run the checks (dask: privcheck[dask])."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler address for --engine dask."),
        click.option("--stdin-filename", metavar="PATH",
                     help="With `-` as PATH: the file name standard input is reported as "
                     "(its extension picks the reader)."),
    ])
