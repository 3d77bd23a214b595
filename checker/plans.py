"""The Plan for each policy of a run: from the configuration nearest to it, as ruff does.

Without `--config`, a policy in `site-a/` is checked under `site-a/privcheck.yaml` even when the
run starts elsewhere; a policy with no configuration above it gets the one found from the working
directory (or the defaults). With `--config`, that file holds for every policy. Plans are built
once per configuration file, and the lookup is cached per folder, so a run over thousands of
policies in a few folders loads each configuration once (in each worker process).

A Plan (rules, lexicons, compiled patterns) is built only when a policy needs checking: with the
results cache on (checker/results_cache.py), a policy checked before needs only its
configuration and the plan's fingerprint, so a run of unchanged files builds no plan at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checker.config import Config, config_for, load_config_file

if TYPE_CHECKING:
    from checker.engine import Plan
    from checker.rules import Rule


@dataclass
class Plans:
    config: Config  # from --config, or the configuration found from the working directory
    per_file: bool = True  # False with --config: `default` for every policy
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    max_size: float | None = None
    adjust: Callable[[Config], Config] | None = None  # command-line choices over each config
    results_cache: bool = False  # look results up in (and add them to) the results cache
    _default: Plan | None = field(default=None, repr=False)
    _by_source: dict[str, Plan] = field(default_factory=dict, repr=False)
    _configs: dict[str, Config] = field(default_factory=dict, repr=False)
    _fingerprints: dict[int, tuple[Config, str | None]] = field(default_factory=dict,
                                                                 repr=False)

    @property
    def default(self) -> Plan:
        """The plan of the run's own configuration, built on first use."""
        if self._default is None:
            self._default = self._make(self.config)
        return self._default

    def _make(self, config: Config) -> Plan:
        from checker.engine import make_plan

        plan = make_plan(config, self.select, self.ignore)
        if self.results_cache:  # this configuration makes a plan: no need to prove it again
            from checker.results_cache import mark_valid

            mark_valid(self.fingerprint_for(config))
        return plan

    def validate(self) -> None:
        """Raise now, as one error for the whole run, if the run's own configuration does not
        make a plan (an unknown pack, a waiver of an unknown rule, a bad rule file). Without
        building it when the results cache shows that these very inputs made one before."""
        if self.results_cache and self._default is None:
            from checker.results_cache import is_valid

            if is_valid(self.fingerprint_for(self.config)):
                return
        self.default  # noqa: B018 - built for its errors

    def config_of(self, path: str) -> Config:
        return self.config_for_path(path)

    def _source_for(self, path: str) -> str | None:
        """The configuration file of `path` when it is not the run's own (None: the default)."""
        if not self.per_file:
            return None
        found = config_for(path)
        if found is None:
            return None
        source = str(found)
        default = self.config.source
        if default and (source == default or os.path.samefile(source, default)):
            return None
        return source

    def config_for_path(self, path: str) -> Config:
        """The configuration `path` is checked under, with the command line's choices."""
        source = self._source_for(path)
        if source is None:
            return self.config
        config = self._configs.get(source)
        if config is None:
            config = load_config_file(source)
            if self.adjust is not None:
                config = self.adjust(config)
            if self.max_size:
                config = config.model_copy(update={"max_size_mb": self.max_size})
            self._configs[source] = config
        return config

    def for_path(self, path: str) -> Plan:
        source = self._source_for(path)
        if source is None:
            return self.default
        plan = self._by_source.get(source)
        if plan is None:
            plan = self._make(self.config_for_path(path))
            self._by_source[source] = plan
        return plan

    def fingerprint_for(self, config: Config) -> str | None:
        """The results cache's fingerprint of the plan made from `config` (one of this run's
        configurations); None when it cannot be taken (a rule file that cannot be read)."""
        from checker.results_cache import plan_fingerprint

        known = self._fingerprints.get(id(config))
        if known is None or known[0] is not config:
            try:
                value: str | None = plan_fingerprint(config, self.select, self.ignore)
            except (OSError, ValueError):  # checking it will say what is wrong with the file
                value = None
            known = self._fingerprints[id(config)] = (config, value)  # holds `config`: ids stay
        return known[1]

    def rules_for(self, paths: Iterable[str]) -> list[Rule]:
        """Every rule run on these policies, default plan's first (for SARIF's rule list)."""
        rules = {r.id: r for r in self.default.rules}
        for path in paths:
            for r in self.for_path(path).rules:
                rules.setdefault(r.id, r)
        return list(rules.values())
