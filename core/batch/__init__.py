"""Extraction over corpora of any size: input partitions, sharded output with a manifest, resume,
and runners for one process, a pool of processes on this machine, or a Dask cluster."""
