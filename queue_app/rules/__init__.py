"""The queue's rules, pure: plain values and a clock passed in; no Flask, no SQL, no Socket.IO."""
