"""Every change of state, one function per action, each through `change.apply_change`; split by who acts."""
