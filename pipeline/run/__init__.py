"""A run: takes a raw folder and options, gives an up-to-date output folder and a summary.

``runner`` wires the stages together, one function per step; ``batch`` processes one
batch of files (ingest, clean, nlp, rows) the same way in every engine; ``engines``
(in-process, process pool) and ``dask_engine`` run the batches; ``status`` reports per
drop without loading spaCy; ``extract`` runs one article without storing anything;
``version`` hashes the code, rule data and base model into the pipeline version;
``failures`` sorts failures into retryable or not and environment problems, which
``preflight`` checks for before anything is written; ``commit`` builds one drop's commit
of the chunks its changes touch; ``repair`` verifies parts and rebuilds damaged ones;
``machine`` gives a failing disk or store one line and exit code; ``guard`` makes worker
processes die with the run.
"""
