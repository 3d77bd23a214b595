"""The Plan for each policy of a run: from the configuration nearest to it, as ruff does.

Without `--config`, a policy in `site-a/` is checked under `site-a/privcheck.yaml` even when the
run starts elsewhere; a policy with no configuration above it gets the one found from the working
directory (or the defaults). With `--config`, that file holds for every policy. Plans are built
once per configuration file, and the lookup is cached per folder, so a run over thousands of
policies in a few folders loads each configuration once (in each worker process).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from checker.config import Config, config_for, load_config_file
from checker.engine import Plan, make_plan
from checker.rules import Rule


@dataclass
class Plans:
    default: Plan  # from --config, or from the configuration found from the working directory
    per_file: bool = True  # False with --config: `default` for every policy
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    max_size: float | None = None
    adjust: Callable[[Config], Config] | None = None  # command-line choices over each config
    _by_source: dict[str, Plan] = field(default_factory=dict, repr=False)

    def config_of(self, path: str) -> Config:
        return self.for_path(path).config

    def for_path(self, path: str) -> Plan:
        if not self.per_file:
            return self.default
        found = config_for(path)
        if found is None:
            return self.default
        source = str(found)
        default = self.default.config.source
        if default and (source == default or os.path.samefile(source, default)):
            return self.default
        plan = self._by_source.get(source)
        if plan is None:
            config = load_config_file(found)
            if self.adjust is not None:
                config = self.adjust(config)
            if self.max_size:
                config = config.model_copy(update={"max_size_mb": self.max_size})
            plan = make_plan(config, self.select, self.ignore)
            self._by_source[source] = plan
        return plan

    def rules_for(self, paths: Iterable[str]) -> list[Rule]:
        """Every rule run on these policies, default plan's first (for SARIF's rule list)."""
        rules = {r.id: r for r in self.default.rules}
        for path in paths:
            for r in self.for_path(path).rules:
                rules.setdefault(r.id, r)
        return list(rules.values())
