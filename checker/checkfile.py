"""The impure edge of one policy's check: read a file, URL or bundle, then evaluate it.

Kept apart from checker/engine.py (pure: facts + rules + config -> findings) so that the
bundle reader, which evaluates the union of several documents with the engine, depends on the
engine and not the other way round.
"""

from __future__ import annotations

from checker.engine import Plan, check_document
from checker.errors import PrivcheckError
from checker.readers import ReadOptions, read_policy
from checker.records import InputError, PolicyReport


def read_options(plan: Plan, encoding: str | None = None) -> ReadOptions:
    """How this run reads its inputs: the size limit, encoding, DOCX and network choices."""
    cfg = plan.config
    return ReadOptions(max_bytes=int(cfg.max_size_mb * 1024 * 1024), encoding=encoding,
                       docx_original=cfg.docx_original, offline=cfg.offline,
                       timeout=cfg.url_timeout)


def check_file(path: str, plan: Plan, encoding: str | None = None) -> PolicyReport | InputError:
    try:
        if path.startswith("bundle:"):
            from checker.bundles import check_bundle

            return check_bundle(path, plan, read_options(plan, encoding))
        doc = read_policy(path, options=read_options(plan, encoding))
        return check_document(doc, plan)
    except PrivcheckError as exc:
        return InputError(path=path, message=exc.message, line=exc.line)
    except RecursionError:
        return InputError(path=path, message="document nested too deeply to read")
    except Exception as exc:  # one bad file must not end a run of thousands
        return InputError(
            path=path,
            message=f"internal error while checking ({type(exc).__name__}: {exc}); "
            "please report it with this file",
        )
