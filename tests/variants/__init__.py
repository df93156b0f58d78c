"""Legal-variant servers: the bundled mock answering as the sources allow, but otherwise than the mock.

The mirror image of tests/mutants/: where a mutant carries one bug the suite must catch, a variant
takes one reading the sources leave open (a decision of docs/decisions.md, or a freedom of the
response's shape) and the whole suite must still pass against it, with both signing schemes. The
variants share the mutants' machinery (proxy, re-signing, patched mock, harness, run pool);
`catalog.py` lists them, `test_variants.py` runs them and writes reports/variant-matrix.{json,md}
(docs/variants.md).
"""
