"""Reads that callers arriving together share: phones coming back from a blip at once cost a handful of reads,
not one each.

A caller joins the read being gathered, if one is; else it starts one, lets the callers ready to run ask too
(under eventlet or gevent, `time.sleep(0)` runs them), closes it to newcomers and reads every key at once. A
caller's key is always read after it asked, so none gets a value older than its call.
"""

import threading
import time


class _Batch:
    """The keys of one shared read, and its values or error once `done` is set."""

    def __init__(self):
        self.keys = set()
        self.done = threading.Event()
        self.values = {}
        self.error = RuntimeError("The shared read was interrupted.")  # until it ends, well or with its own error


class GatheredReads:
    """Values by key from `read_all(keys) -> {key: value}` (keys it does not know left out), read together."""

    def __init__(self, read_all):
        self._read_all = read_all
        self._lock = threading.Lock()
        self._gathering = None  # the batch not read yet, which a caller arriving now joins

    def get(self, key):
        """`key`'s value, or None if `read_all` knows none, read after this call began."""
        with self._lock:
            batch = self._gathering
            leading = batch is None
            if leading:
                batch = self._gathering = _Batch()
            batch.keys.add(key)
        if not leading:
            batch.done.wait()
        else:
            try:
                time.sleep(0)
                self._close(batch)
                batch.values, batch.error = self._read_all(batch.keys), None
            except Exception as error:
                batch.error = error
            finally:  # also when the leader is killed meanwhile: nobody waits on it, nobody joins it after
                self._close(batch)
                batch.done.set()
        if batch.error is not None:
            # Each caller raises it afresh: the traceback is its own, not every earlier caller's frames too.
            raise batch.error.with_traceback(None)
        return batch.values.get(key)

    def _close(self, batch):
        """Let no caller join `batch` any more."""
        with self._lock:
            if self._gathering is batch:
                self._gathering = None
