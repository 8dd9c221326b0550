"""The extractor pipeline: a cleaned :class:`~loaders.article.Article` in, :class:`~loaders.records.Facts` out.

Components (each a small module with one job) run in the order of ``PIPELINE``; later ones read what earlier
ones found on the shared :class:`~loaders.extract.base.Context`:

==========  ==========================================================
places      place mentions and the article's own locality
bodies      Party and State bodies with canonical labels
terms       terms of office and Party congresses
documents   resolutions, directives, schemes ... with number, date, issuer
zones       economic zones, industrial parks and clusters, tourism areas
officials   officials and the posts they hold
discipline  disciplinary measures decided against officials
figures     reported and targeted quantities
==========  ==========================================================
"""
from __future__ import annotations

from ..article import Article
from ..gazetteer import gazetteer as _gazetteer
from ..records import Facts
from . import bodies, discipline, documents, figures, officials, places, terms, zones  # noqa: F401  (registration)
from .base import COMPONENTS, Context

PIPELINE = ("places", "bodies", "terms", "documents", "zones", "officials", "discipline", "figures")


def extract(article: Article, gazetteer=None) -> Facts:
    """Read every kind of fact from one article."""
    ctx = Context(article, gazetteer or _gazetteer())
    for name in PIPELINE:
        COMPONENTS[name](ctx)
    places.finish_places(ctx)
    return ctx.facts


__all__ = ["extract", "COMPONENTS", "Context"]
