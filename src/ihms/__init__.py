"""ihms — a toolkit for integrated health care (medical consortia) in China.

Subpackages, lowest layer first: :mod:`ihms.stats` (evaluation statistics),
:mod:`ihms.system` (institutions, consortia, grids), :mod:`ihms.data` (tables on
DuckDB), :mod:`ihms.indicators`, :mod:`ihms.payment`, :mod:`ihms.sim`,
:mod:`ihms.policy` (policy text analysis), :mod:`ihms.report` and the ``ihms`` command
line.
"""

from ihms.errors import IhmsError, InputError

__version__ = "0.1.0"
__all__ = ["IhmsError", "InputError", "__version__"]
