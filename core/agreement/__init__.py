"""Agreement between coders: quotes of several projects of the same texts, matched and compared.

Layout:

- :mod:`.records`: the plain records the measures take (a coding, its documents, quotes).
- :mod:`.matching`: documents by text hash; quotes one to one by span IoU (the scorer's rule).
- :mod:`.alpha`: Krippendorff's alpha (nominal), over units and over character positions.
- :mod:`.measures`: spans P/R/F1, kind and speaker agreement and alpha, per text and overall.
- :mod:`.agree`: two codings, or every pair of three or more with their means, as JSON.
- :mod:`.load`: a project's coding, read through the store, filtered by status.
- :mod:`.report`: the JSON as a readable table or CSV.
- :mod:`.evaluate`, :mod:`.evaluate_report`: the engine's original suggestions against a
  researcher's decisions on documents marked done (``quotebench evaluate``).
- :mod:`.distribute`: one project per coder with the same texts, a recorded sample.
- :mod:`.adjudication`: coders' projects into a gold project, decision by decision.
- :mod:`.errors`: E040 to E049.
"""

from .agree import agreement, pair_results
from .errors import AgreementError
from .load import DEFAULT_STATUSES, open_coding, parse_statuses, read_coding
from .records import Coding, DocRecord, QuoteRecord

__all__ = [
    "DEFAULT_STATUSES",
    "AgreementError",
    "Coding",
    "DocRecord",
    "QuoteRecord",
    "agreement",
    "open_coding",
    "pair_results",
    "parse_statuses",
    "read_coding",
]
