"""The item-writing linter (issue 13): surface cues that let a test-wise trainee pass blind.

Pure analysis over parsed question documents (``lint_content``) plus the ``content lint`` hook
(``lint_plugin``). Definitions: content/standards/README.md, "Writing good items".
"""

from .config import LintConfig, load_config
from .report import config_problems, lint_content, lint_plugin, source_findings
from .strategies import STRATEGIES

__all__ = ["STRATEGIES", "LintConfig", "config_problems", "lint_content", "lint_plugin", "load_config",
           "source_findings"]
