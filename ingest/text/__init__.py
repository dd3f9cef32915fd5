"""Chinese-text rules that ingest and retrieval both read, each in one place.

- :mod:`ingest.text.script` — the search form (NFKC, OpenCC simplified, lower case) and script
  detection/conversion, so traditional and simplified text meet in one index;
- :mod:`ingest.text.ladder` — the numbering ladder (一、 → （一） → 1. → （1）, 第X章/节/条) and
  Chinese numerals: how each level is recognised, ranked and written;
- :mod:`ingest.text.segment` — jieba segmentation with the policy dictionary and stop words;
- :mod:`ingest.text.wordlists` — every word list, as a data file that says where it comes from.
"""
