"""Grading on a Dask cluster (`autograder grade --scheduler tcp://HOST:PORT`).

The trusted grading process does what it does locally (reads the submissions, sanitises them
against the gradebook, checks, scores, writes autograded/ and the gradebook); only the sandboxed
execution of each notebook is sent to a worker, which runs it in its own sandbox exactly as a
local run would and sends back the executed notebook: plain data, nothing written anywhere.
Dask runs a notebook again on another worker when its worker dies, and the grader records a
submission once, when all its notebooks are back.

client.py is the grader's side, worker.py what runs on a worker."""
