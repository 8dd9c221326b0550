"""Loaders: article files in, typed records out.

text -> cleaned :class:`~loaders.article.Article` -> records
(:mod:`loaders.records`) via the extractor pipeline in :mod:`loaders.extract`.
"""
